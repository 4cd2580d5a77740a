"""Forms of the campaign pages (validation only; the services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.formkit import add_service_errors, bootstrap  # noqa: F401  (forms.* in views)
from xiaoneng.core.forms_org import UnitChoiceField as UnitChoice
from xiaoneng.core.forms_org import UnitMultipleChoiceField as UnitsChoice
from xiaoneng.core.models import Unit

from .models import CampaignTemplate, KeyTaskProgress


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
