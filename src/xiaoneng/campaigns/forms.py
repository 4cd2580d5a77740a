"""Forms of the campaign pages (validation only; the services write)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.formkit import add_service_errors, bootstrap  # noqa: F401  (forms.* in views)
from xiaoneng.core.forms_org import UnitChoiceField as UnitChoice
from xiaoneng.core.forms_org import UnitMultipleChoiceField as UnitsChoice
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.widgets import FastSelect

from .models import (
    CampaignKind,
    CampaignTemplate,
    GroupMember,
    KeyTaskProgress,
    Phase,
    Recurrence,
)


class FromTemplateForm(forms.Form):
    template = forms.ModelChoiceField(
        CampaignTemplate.objects.filter(is_active=True), label=_("Template")
    )
    year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the template's name."),
    )
    doc_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    issuing_unit = UnitChoice(Unit.objects.none(), label=_("Issuing unit"), required=False)
    units = UnitsChoice(
        Unit.objects.none(),
        label=_("Units in scope"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every unit below the issuing unit."),
    )

    def __init__(self, *args, units_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            units_qs.filter(is_active=True).order_by("path")
            if units_qs is not None
            else Unit.objects.none()
        )
        self.fields["issuing_unit"].queryset = qs
        self.fields["units"].queryset = qs


class SubmitForm(forms.Form):
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    upload = forms.FileField(label=_("File"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for return"), widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.none(), label=_("Unit"))
    status = forms.ChoiceField(choices=KeyTaskProgress.Status.choices, label=_("Status"))
    note = forms.CharField(
        label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasurementForm(forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=20, help_text=_("For example 2027-03 or 2027Q1.")
    )
    value = forms.DecimalField(label=_("Measured value"), max_digits=14, decimal_places=4)
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    upload = forms.FileField(label=_("Evidence file"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Target table (.xlsx)"))


# --- set-up by hand (issue 20) ------------------------------------------------------------------------
class PersonChoice(forms.ModelChoiceField):
    """A person of the org chart, with the unit (the list can be searched)."""

    widget = FastSelect

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}{'·' + obj.position if obj.position else ''}）"


def _people(unit: Unit | None = None):
    qs = Person.objects.filter(is_active=True).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs.order_by("unit__path", "name")


class CampaignForm(forms.Form):
    """A campaign from scratch, or its frame edited (the phases are edited on the set-up page)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    doc_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    issuing_unit = UnitChoice(Unit.objects.none(), label=_("Issuing unit"), required=False)
    starts_on = forms.DateField(label=_("Start"))
    ends_on = forms.DateField(label=_("End"))
    reminder_days = forms.IntegerField(
        label=_("Remind N working days before due"), min_value=0, max_value=30, initial=2
    )
    guiding_ideas = forms.CharField(
        label=_("Guiding ideas"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units_qs=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = units_qs.filter(is_active=True).order_by("path") if units_qs is not None else None
        self.fields["issuing_unit"].queryset = qs if qs is not None else Unit.objects.none()


class NewCampaignForm(CampaignForm):
    units = UnitsChoice(
        Unit.objects.none(),
        label=_("Units in scope"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every unit below the issuing unit."),
    )

    def __init__(self, *args, units_qs=None, **kwargs):
        super().__init__(*args, units_qs=units_qs, **kwargs)
        self.fields["units"].queryset = self.fields["issuing_unit"].queryset


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=100)
    starts_on = forms.DateField(label=_("Start"))
    ends_on = forms.DateField(label=_("End"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )


class GroupForm(forms.Form):
    unit = UnitChoice(Unit.objects.none(), label=_("Unit"), required=False)
    name = forms.CharField(label=_("Name of the group"), max_length=200, required=False)
    office_name = forms.CharField(label=_("Office"), max_length=200, required=False)
    office_director = PersonChoice(
        Person.objects.none(), label=_("Office director"), required=False
    )

    def __init__(self, *args, campaign=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["unit"].queryset = campaign.units.order_by("path")
        self.fields["office_director"].queryset = _people(unit)


class MemberForm(forms.Form):
    person = PersonChoice(Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(label=_("Role"), choices=GroupMember.Role.choices)

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(unit)


class RequirementForm(forms.Form):
    name = forms.CharField(label=_("Deliverable"), max_length=100)
    phase = forms.ModelChoiceField(Phase.objects.none(), label=_("Phase"), required=False)
    due_on = forms.DateField(label=_("Due date"))
    recurrence = forms.ChoiceField(
        label=_("Recurrence"), choices=Recurrence.choices, required=False
    )
    repeat_until = forms.DateField(label=_("Repeat until"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args, campaign=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            self.fields["phase"].queryset = campaign.phases.order_by("order")
        if editing:  # a series keeps its rhythm; only its first date moves
            del self.fields["recurrence"]
            del self.fields["repeat_until"]


class KeyTaskForm(forms.Form):
    number = forms.IntegerField(label=_("No."), min_value=1, max_value=999)
    title = forms.CharField(label=_("Task"), max_length=200)
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    due_on = forms.DateField(label=_("Deadline"), required=False)
    lead_units = UnitsChoice(Unit.objects.none(), label=_("Lead units"), required=False)
    responsible_units = UnitsChoice(
        Unit.objects.none(), label=_("Responsible units"), required=False
    )
    content = forms.CharField(
        label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, campaign=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if campaign is not None:
            units = Unit.objects.filter(
                Q(pk__in=campaign.units.values("pk")) | Q(pk=campaign.issuing_unit_id or 0)
            ).order_by("path")
            self.fields["lead_units"].queryset = units
            self.fields["responsible_units"].queryset = units
        if editing:
            del self.fields["number"]
