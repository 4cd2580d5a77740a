"""Forms of the inspection pages: plan, the draw, the site form (answers are read from the
POST by item), a finding with evidence, 督办单 reply/verification, bulletin composition,
approval and the exposed unit's response."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints.forms import bootstrap  # noqa: F401  (the house Bootstrap helper)
from xiaoneng.complaints.models import Category
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.widgets import FastSelectMultiple
from xiaoneng.rectification.forms import MultipleFileField
from xiaoneng.rectification.vocab import Decision
from xiaoneng.selfcheck.models import ChecklistTemplate

from .vocab import FindingSeverity, LookbackResult, PlanKind, ResponseKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """People with their unit, so the office sees who would have to step aside (回避)."""

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}）"


def people_field(label, **kwargs) -> PersonChoiceField:
    return PersonChoiceField(
        label=label,
        queryset=Person.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name"),
        widget=FastSelectMultiple(attrs={"size": 8}),
        required=False,
        **kwargs,
    )


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.order_by("-starts_on"), required=False
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DATE)
    ends_on = forms.DateField(label=_("End date"), widget=DATE)
    template = forms.ModelChoiceField(
        label=_("Checklist template"),
        queryset=ChecklistTemplate.objects.filter(is_active=True),
        required=False,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units in scope"),
        queryset=Unit.objects.filter(is_active=True).order_by("path"),
        widget=FastSelectMultiple(attrs={"size": 8}),
    )
    unit_count = forms.IntegerField(
        label=_("Units to draw"), min_value=1, required=False, help_text=_("Empty: every unit.")
    )
    stratify = forms.BooleanField(label=_("Stratify by unit type"), required=False)
    team = people_field(_("Team"))
    inspector_pool = people_field(_("Inspector pool"))
    inspector_count = forms.IntegerField(
        label=_("Inspectors per visit"),
        min_value=1,
        required=False,
        help_text=_("Empty: the plan's team."),
    )


class DrawForm(forms.Form):
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, required=False, help_text=_("Empty: a new random seed.")
    )


class RecordForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    latitude = forms.DecimalField(widget=forms.HiddenInput, required=False)
    longitude = forms.DecimalField(widget=forms.HiddenInput, required=False)
    accuracy = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    captured = forms.CharField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(label=_("Photos, video or audio"))


class FindingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=FindingSeverity.choices,
        initial=FindingSeverity.GENERAL,
        widget=forms.RadioSelect,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("People involved"), queryset=Person.objects.none(), required=False
    )
    captured = forms.CharField(widget=forms.HiddenInput, required=False)
    files = MultipleFileField(label=_("Photos, video or audio"))

    def __init__(self, *args, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if visit is not None:
            self.fields["people"].queryset = Person.objects.filter(
                unit__path__startswith=visit.unit.path, is_active=True
            ).order_by("name")


class LookbackForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Result"), choices=LookbackResult.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Evidence"))


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    intro = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=2000)


class ResponseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ResponseKind.choices)
    speaker = forms.CharField(label=_("Speaker"), max_length=50)
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("Files"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
