"""Fields the campaign API shares: named choices with their labels in OpenAPI."""

from __future__ import annotations

from xiaoneng.core.api.choices import NamedChoiceField as CampaignChoiceField

from ..models import (
    CampaignKind,
)


# --- fields -------------------------------------------------------------------------------------
def kind_field(**kwargs):
    return CampaignChoiceField(CampaignKind.choices, enum_name="CampaignKindEnum", **kwargs)
