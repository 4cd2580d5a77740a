"""REST API of the complaint engine (API.md): register, list, read, timeline, protected identity,
and one POST action per workflow step. Reads go through ``selectors`` (out of scope = 404);
writes go through ``services`` (illegal transition = 409).

Complainant protection (PRODUCT.md): list and detail never carry the identity; it is read only
through ``/complaints/{id}/complainant`` by users with ``complainant.view``, and every read is
audited by ``services.identity_read``. For anyone else that endpoint is a 404.

Sub-modules: serializers (output), inputs, views, actions; every name is importable
from this package.
"""

from __future__ import annotations

from .actions import ACTION_VIEWS, ACTIONS, ComplaintAction
from .inputs import (
    AssignSerializer,
    ComplainantInputSerializer,
    ComplaintCreateSerializer,
    DispatchSerializer,
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReplySerializer,
    ReturnVisitSerializer,
    SubjectPersonField,
    VerificationResultField,
    VerifySerializer,
)
from .serializers import (
    PROTECTED_NOTICE,
    CategorySerializer,
    ComplainantBlockSerializer,
    ComplaintSerializer,
    IdentitySerializer,
    ReceiptSerializer,
    RefSerializer,
    SlaPolicyRefSerializer,
    TimelineEventSerializer,
    complainant_block,
    registration_receipt,
)
from .views import (
    CategoryList,
    ComplaintComplainant,
    ComplaintDetail,
    ComplaintListCreate,
    ComplaintTimeline,
    complaint_queryset,
    reload,
)

__all__ = [
    "ACTIONS",
    "ACTION_VIEWS",
    "AssignSerializer",
    "CategoryList",
    "CategorySerializer",
    "ComplainantBlockSerializer",
    "ComplainantInputSerializer",
    "ComplaintAction",
    "ComplaintComplainant",
    "ComplaintCreateSerializer",
    "ComplaintDetail",
    "ComplaintListCreate",
    "ComplaintSerializer",
    "ComplaintTimeline",
    "DispatchSerializer",
    "ExtensionDecisionSerializer",
    "ExtensionRequestSerializer",
    "IdentitySerializer",
    "NoteSerializer",
    "PROTECTED_NOTICE",
    "ReasonSerializer",
    "ReceiptSerializer",
    "RefSerializer",
    "ReplySerializer",
    "ReturnVisitSerializer",
    "SlaPolicyRefSerializer",
    "SubjectPersonField",
    "TimelineEventSerializer",
    "VerificationResultField",
    "VerifySerializer",
    "complainant_block",
    "complaint_queryset",
    "registration_receipt",
    "reload",
]
