"""Forms of the accountability pages (labels in English source, Chinese in the catalogue)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.forms_org import UnitChoiceField, bootstrap
from xiaoneng.core.models import Department, Person, Unit
from xiaoneng.core.scope import scoped

from .models import Measure
from .vocab import SourceKind, SubjectRole


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("Directly responsible person"), queryset=Person.objects.none(), required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=SourceKind.choices, initial=SourceKind.MANUAL
    )
    summary = forms.CharField(
        label=_("Facts"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    fast_track = forms.BooleanField(label=_("Fast track (快查快办)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["department"].queryset = scoped(user, Department).select_related("unit")
        self.fields["person"].queryset = (
            scoped(user, Person).filter(is_active=True).select_related("unit")
        )
        self.fields["department"].label_from_instance = lambda d: f"{d.unit.name} · {d.name}"
        self.fields["person"].label_from_instance = lambda p: f"{p.unit.name} · {p.name}"
        bootstrap(self)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    appeal_waived = forms.BooleanField(label=_("The person waived the appeal"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SubjectAddForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("Name (if not in the organisation)"), max_length=50, required=False
    )
    role = forms.ChoiceField(label=_("Responsibility"), choices=SubjectRole.choices)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(unit=case.unit, is_active=True)
        bootstrap(self)


class SubjectForm(forms.Form):
    finding = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    measure = forms.ModelChoiceField(
        label=_("Measure"), queryset=Measure.objects.filter(is_active=True), required=False
    )
    measure_note = forms.CharField(label=_("Note on the measure"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReferralOutcomeForm(forms.Form):
    referral_outcome = forms.CharField(
        label=_("Outcome of the referral"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AdjustForm(forms.Form):
    delta = forms.DecimalField(label=_("Points (+/−)"), max_digits=7, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class NominationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    award = forms.CharField(label=_("Award"), max_length=100)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    person = forms.ModelChoiceField(
        label=_("Person (empty for the unit)"), queryset=Person.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Deeds"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["person"].queryset = (
            scoped(user, Person).filter(is_active=True).select_related("unit")
        )
        self.fields["person"].label_from_instance = lambda p: f"{p.unit.name} · {p.name}"
        bootstrap(self)


class DecideForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason for overriding the veto"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
