"""One FilterSet for the item lists: the ledger page, the Excel export and the API.

Query parameters: unit (and the units below it), campaign, source, status, type, light
(green/yellow/red), overdue (bool), deadline_after / deadline_before (dates), issue, number, q.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from xiaoneng.core import clock
from xiaoneng.core.forms_org import UnitChoiceIterator
from xiaoneng.core.models import Unit
from xiaoneng.core.params import DateFilter, IdFilter
from xiaoneng.core.widgets import FastSelect

from . import selectors
from .vocab import IssueSource, ItemStatus, ItemType, Light


class UnitFilterField(django_filters.fields.ModelChoiceField):
    iterator = UnitChoiceIterator  # options from values_list: no Unit objects for 5,000 units


@extend_schema_field(OpenApiTypes.INT)
class UnitFilter(django_filters.ModelChoiceFilter):
    """A unit id (the items of that unit and the units below it)."""

    field_class = UnitFilterField


class ItemFilter(django_filters.FilterSet):
    unit = UnitFilter(
        label=_("Unit"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        method="_apply",
        widget=FastSelect,
    )
    campaign = IdFilter(label=_("Campaign"), method="_apply")
    source = django_filters.ChoiceFilter(
        label=_("Source"), choices=IssueSource.choices, method="_apply"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ItemStatus.choices, method="_apply"
    )
    type = django_filters.ChoiceFilter(label=_("Type"), choices=ItemType.choices, method="_apply")
    light = django_filters.ChoiceFilter(label=_("Light"), choices=Light.choices, method="_apply")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="_apply")
    deadline_after = DateFilter(label=_("Deadline from"), method="_apply")
    deadline_before = DateFilter(label=_("Deadline to"), method="_apply")
    issue = IdFilter(label=_("Issue"), method="_apply")
    number = django_filters.CharFilter(label=_("Item number"), method="_apply")
    q = django_filters.CharFilter(label=_("Search"), method="_apply")

    def _apply(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return selectors.filter_items(queryset, {name: value}, now=self.now)

    @property
    def now(self):
        if not hasattr(self, "_now"):
            self._now = clock.now()
        return self._now

    def json_params(self) -> dict:
        """The valid filter values as JSON-safe data (for an export job)."""
        out = {}
        for key, value in (self.form.cleaned_data if self.is_valid() else {}).items():
            if value in (None, ""):
                continue
            if isinstance(value, Unit):
                value = value.pk
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            out[key] = value
        return out


ORDERING_FIELDS = ["deadline", "number", "created_at", "status", "closed_at", "id"]
