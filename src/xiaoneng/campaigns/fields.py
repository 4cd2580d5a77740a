"""A campaign picker for other apps' forms (ledger filters, checklist assignment, commitments).

Those apps store the campaign as a plain id; people choose it by name from a select instead of
typing a number.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campaign


def campaign_choices(empty_label=None) -> list[tuple[str | int, str]]:
    rows = Campaign.objects.order_by("-id").values_list("pk", "name")
    return [("", empty_label or _("None")), *rows]


class CampaignIdField(forms.TypedChoiceField):
    """The id of a campaign, chosen by name (``None`` when left empty)."""

    def __init__(self, *, empty_label=None, **kwargs):
        kwargs.setdefault("label", _("Campaign"))
        kwargs.setdefault("required", False)
        super().__init__(
            choices=lambda: campaign_choices(empty_label),
            coerce=int,
            empty_value=None,
            **kwargs,
        )


def campaign_select(empty_label=None) -> forms.Select:
    """A select widget over the campaigns (for a filter whose field takes the id)."""
    return forms.Select(choices=campaign_choices(empty_label))
