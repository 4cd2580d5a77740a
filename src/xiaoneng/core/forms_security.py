"""Filters of the login-log and audit-log pages (GET forms; both logs are read-only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms_org import FilterForm
from .models import AuditRecord, LoginLog
from .vocabulary import action_label, object_label

FAILED = "failed"


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DateRangeMixin:
    """``date_from``/``date_to`` inclusive, in local (Asia/Shanghai) dates."""

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply_dates(self, qs):
        # Bounds on ``at`` itself (local midnights), so the index on ``at`` is used.
        data = self.cleaned_data
        if data.get("date_from"):
            qs = qs.filter(at__gte=_midnight(data["date_from"]))
        if data.get("date_to"):
            qs = qs.filter(at__lt=_midnight(data["date_to"] + timedelta(days=1)))
        return qs


class LoginLogFilterForm(DateRangeMixin, FilterForm):
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    date_from = _date(_("From"))
    date_to = _date(_("To"))

    def setup(self) -> None:
        self.fields["q"].label = _("User")
        self.fields["q"].widget.attrs["placeholder"] = _("User name")
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", _("All")),
            (LoginLog.Outcome.SUCCESS, _("Success")),
            (FAILED, _("All failures")),
            *[
                (value, label)
                for value, label in LoginLog.Outcome.choices
                if value != LoginLog.Outcome.SUCCESS
            ],
        ]

    def apply(self, qs):
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(username__icontains=data["q"].strip())
        if data["outcome"] == FAILED:
            qs = qs.filter(success=False).exclude(outcome=LoginLog.Outcome.LOGOUT)
        elif data["outcome"]:
            qs = qs.filter(outcome=data["outcome"])
        return self.apply_dates(qs)


class AuditFilterForm(DateRangeMixin, FilterForm):
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = _date(_("From"))
    date_to = _date(_("To"))

    def setup(self) -> None:
        self.fields["q"].label = _("Actor")
        self.fields["q"].widget.attrs["placeholder"] = _("User name")
        records = AuditRecord.objects.order_by()
        actions = records.values_list("action", flat=True).distinct()
        types = records.values_list("object_type", flat=True).distinct()
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("All")),
            *sorted(((a, action_label(a)) for a in actions), key=lambda c: c[1]),
        ]
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [
            ("", _("All")),
            *sorted(((t, object_label(t)) for t in types), key=lambda c: c[1]),
        ]

    def apply(self, qs):
        if not self.is_bound:
            return qs
        if not self.is_valid():
            return qs.none()
        data = self.cleaned_data
        if data["q"]:
            actor = data["q"].strip()
            qs = qs.filter(Q(actor_name__icontains=actor) | Q(actor__username__iexact=actor))
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"])
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"].strip())
        return self.apply_dates(qs)
