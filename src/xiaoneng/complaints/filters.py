"""One FilterSet for the complaint lists: the office queue, "my cases", the export and the API.

Query parameters (API.md): status, unit, category (code), channel, type, overdue (bool), number,
received_after / received_before (ISO 8601 instant or a date; a date as ``received_before``
includes that whole day), due_soon (bool), extension_pending (bool). Ordering is ``?ordering=`` (API) or the sortable columns (pages).
"""

from __future__ import annotations

from datetime import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock
from xiaoneng.core.forms_org import UnitChoiceIterator
from xiaoneng.core.models import Unit
from xiaoneng.core.params import InstantOrDateFilter
from xiaoneng.core.widgets import FastSelect

from .models import Category, Complaint
from .selectors import due_soon_before, extension_pending_q
from .vocab import CLOCK_STATUSES, Channel, Status, Type


class UnitFilterField(django_filters.fields.ModelChoiceField):
    iterator = UnitChoiceIterator


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitFilterField


def _units(request):
    from xiaoneng.core.selectors import unit_choices

    if request is None:
        return Unit.objects.none()
    return unit_choices(request.user).filter(is_active=True)


def overdue_q(now: datetime | None = None) -> Q:
    """Open cases whose resolution deadline has passed while the clock runs."""
    return Q(status__in=CLOCK_STATUSES, resolve_by__lt=now or clock.now())


def due_soon_q(now: datetime | None = None) -> Q:
    """Running cases near their deadline (the yellow light by remaining working days)."""
    now = now or clock.now()
    return Q(status__in=CLOCK_STATUSES, resolve_by__gte=now, resolve_by__lte=due_soon_before(now))


# ?ordering= in the API (DRF's OrderingFilter); the pages sort by their columns.
ORDERING_FIELDS = ["received_at", "registered_at", "number", "status", "resolve_by", "id"]


class ComplaintFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        field_name="number", lookup_expr="icontains", label=_("Number")
    )
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    type = django_filters.ChoiceFilter(choices=Type.choices, label=_("Type"))
    category = django_filters.ModelChoiceFilter(
        field_name="category",
        to_field_name="code",
        queryset=Category.objects.order_by("sort_order", "id"),
        label=_("Category"),
    )
    unit = UnitFilter(
        field_name="unit", queryset=_units, label=_("Responsible unit"), widget=FastSelect
    )
    received_after = InstantOrDateFilter(
        field_name="received_at",
        lookup_expr="gte",
        label=_("Received from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_before = InstantOrDateFilter(
        field_name="received_at",
        lookup_expr="lte",
        end_of_day=True,
        label=_("Received until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        widget=django_filters.widgets.BooleanWidget(),
    )
    due_soon = django_filters.BooleanFilter(
        method="filter_due_soon",
        label=_("Due soon"),
        widget=django_filters.widgets.BooleanWidget(),
    )
    extension_pending = django_filters.BooleanFilter(
        method="filter_extension_pending",
        label=_("Extension requested"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())

    def filter_due_soon(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(due_soon_q()) if value else qs.exclude(due_soon_q())

    def filter_extension_pending(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(extension_pending_q()) if value else qs.exclude(extension_pending_q())
