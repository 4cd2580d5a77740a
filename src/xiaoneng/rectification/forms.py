"""Forms of the ledger pages: new issue and item, the item action forms (with evidence uploads),
spot-check draw and result, Excel import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints.models import Category
from xiaoneng.core.formkit import (  # noqa: F401  (forms.* in the views)
    MultipleFileField,
    add_service_errors,
    bootstrap,
)
from xiaoneng.core.models import Department, Person, Unit
from xiaoneng.core.scope import scoped
from xiaoneng.core.widgets import FastSelect

from .vocab import Decision, IssueSource, ItemType, Severity, SpotResult


class ScopedForm(forms.Form):
    def __init__(self, *args, user=None, item=None, **kwargs):
        self.user = user
        self.item = item
        super().__init__(*args, **kwargs)


class IssueForm(ScopedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(label=_("Source"), choices=IssueSource.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=FastSelect)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False
    )
    files = MultipleFileField(label=_("Evidence"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            scoped(self.user, Unit).filter(is_active=True).order_by("path")
        )
        self.fields["department"].queryset = (
            scoped(self.user, Department).filter(is_active=True).select_related("unit")
        )
        self.fields["department"].label_from_instance = lambda d: f"{d.unit.name} · {d.name}"


class ItemForm(ScopedForm):
    type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices)
    measures = forms.CharField(label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label=_("Target"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the default of the type."),
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.none(), widget=FastSelect
    )
    responsible_person = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=Person.objects.none(), required=False
    )
    responsible_leader = forms.ModelChoiceField(
        label=_("Responsible leader"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = (
            scoped(self.user, Unit).filter(is_active=True).order_by("path")
        )
        people = scoped(self.user, Person).filter(is_active=True).select_related("unit")
        for name in ("responsible_person", "responsible_leader"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda p: f"{p.name}（{p.unit.name}）"


class ProgressForm(ScopedForm):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    files = MultipleFileField(label=_("Evidence"))


class CloseRequestForm(ScopedForm):
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Evidence"), help_text=_("At least one file."))


class VerifyForm(ScopedForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when returning the request."),
    )


class ReasonForm(ScopedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PublicForm(ScopedForm):
    public = forms.BooleanField(label=_("Show on the public progress page"), required=False)


class SpotCheckForm(ScopedForm):
    count = forms.IntegerField(label=_("Number of items"), min_value=1, required=False)
    percent = forms.IntegerField(label=_("Percent"), min_value=1, max_value=100, required=False)
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        required=False,
        help_text=_("Leave empty for a random seed; the same seed repeats the draw."),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, widget=FastSelect
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *ItemType.choices], required=False
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.order_by("-starts_on", "-id"), label=_("Campaign"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            scoped(self.user, Unit).filter(is_active=True).order_by("path")
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("count") is None) == (cleaned.get("percent") is None):
            raise forms.ValidationError(_("Give either a number of items or a percentage."))
        return cleaned


class SpotResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=SpotResult.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Ledger file (.xlsx)"))
