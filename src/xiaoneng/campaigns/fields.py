"""A campaign picker for filters that take a campaign id (the ledger's ``?campaign=``): people
choose it by name from a select instead of typing a number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Campaign


def campaign_choices(empty_label=None) -> list[tuple[str | int, str]]:
    rows = Campaign.objects.order_by("-id").values_list("pk", "name")
    return [("", empty_label or _("None")), *rows]


def campaign_select(empty_label=None) -> forms.Select:
    """A select widget over the campaigns (for a filter whose field takes the id)."""
    return forms.Select(choices=campaign_choices(empty_label))
