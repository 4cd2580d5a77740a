"""REST API of campaigns: templates, campaigns (from a template or from scratch) with their
phases, reporting requirements, submissions (``submit`` / ``accept`` / ``return``), key tasks,
targets and target measurements.

Reads go through ``selectors`` (units see their own; the office all; out of scope = 404);
writes through ``services``. Component names carry the ``Campaign`` prefix.
"""

from __future__ import annotations

from .campaigns import (  # noqa: F401
    CampaignPhaseSerializer,
    CampaignSerializer,
    CampaignTemplateSerializer,
    CampaignTemplateViewSet,
    CampaignUrgeResultSerializer,
    CampaignViewSet,
)
from .fields import CampaignChoiceField, kind_field  # noqa: F401
from .key_tasks import (  # noqa: F401
    CampaignKeyTaskSerializer,
    CampaignKeyTaskViewSet,
    CampaignProgressReportSerializer,
    CampaignTaskProgressSerializer,
    progress_status_field,
)
from .setup import (  # noqa: F401
    CampaignGroupMemberSerializer,
    CampaignGroupMemberViewSet,
    CampaignGroupSerializer,
    CampaignGroupViewSet,
    CampaignPhaseViewSet,
)
from .submissions import (  # noqa: F401
    CampaignRequirementSerializer,
    CampaignRequirementViewSet,
    CampaignReturnSerializer,
    CampaignSubmissionSerializer,
    CampaignSubmissionViewSet,
    CampaignSubmitSerializer,
)
from .targets import (  # noqa: F401
    CampaignMeasurementSerializer,
    CampaignMeasurementViewSet,
    CampaignTargetSerializer,
    CampaignTargetViewSet,
)
