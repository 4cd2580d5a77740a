"""REST API of self-inspection, commitments, learning, 五个一 and the institution register.

Reads go through ``selectors`` (data scope; out of scope = 404); writes through ``services``.
References to units and people in request bodies resolve inside the caller's scope only (an
id outside it is "does not exist", 400); file ids must be files the caller uploaded.
"""

from __future__ import annotations

from .activities import (  # noqa: F401
    ActivityRecordSerializer,
    ActivityRecordViewSet,
    ActivitySerializer,
    ActivityViewSet,
    MissingSerializer,
)
from .checklists import (  # noqa: F401
    AnswerEntrySerializer,
    AnswerRequestSerializer,
    AnswerSerializer,
    AssignmentSerializer,
    AssignmentViewSet,
    CompletionSerializer,
    ItemSerializer,
    MaterialRequestSerializer,
    TemplateSerializer,
    TemplateViewSet,
)
from .commitments import CommitmentSerializer, CommitmentViewSet, ReviewRequestSerializer  # noqa: F401
from .fields import (  # noqa: F401
    NamedChoiceField,
    answer_result_field,
    campaign_field,
    learning_kind_field,
)
from .learning import (  # noqa: F401
    GroupSessionResultSerializer,
    GroupSessionSerializer,
    LearningRecordSerializer,
    LearningRecordViewSet,
    PersonComplianceSerializer,
    RequirementResultSerializer,
    RequirementSerializer,
    RequirementViewSet,
    UnitComplianceSerializer,
)
from .rules import RegisterRowSerializer, RuleReviewRequestSerializer, RuleSerializer, RuleViewSet  # noqa: F401
