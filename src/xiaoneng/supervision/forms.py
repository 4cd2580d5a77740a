"""Forms of social supervision (validation only; the services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.complaints.models import Category
from xiaoneng.complaints.vocab import Type
from xiaoneng.core.formkit import MultipleFileField, add_service_errors, bootstrap  # noqa: F401
from xiaoneng.core.forms_org import UnitChoiceField
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.widgets import FastSelect
from xiaoneng.evaluations.models import EvaluatorGroup
from xiaoneng.rectification.vocab import Severity
from xiaoneng.selfcheck.models import ActivityRecord

from .vocab import ReportKind, SupervisorKind

WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonChoice(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}{'·' + obj.position if obj.position else ''}）"


class ReportForm(forms.Form):
    """What a supervisor files from a phone: few fields, big touch targets."""

    kind = forms.ChoiceField(
        label=_("What are you reporting?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        initial=ReportKind.CLUE,
    )
    unit = UnitChoiceField(Unit.objects.none(), label=_("Unit concerned"))
    title = forms.CharField(label=_("In one sentence"), max_length=200)
    content = forms.CharField(label=_("What you saw"), widget=forms.Textarea(attrs={"rows": 5}))
    place = forms.CharField(
        label=_("Where (department, window, ward)"), max_length=200, required=False
    )
    observed_at = forms.DateTimeField(label=_("When"), required=False, widget=WHEN)
    uploads = MultipleFileField(label=_("Photos or files"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["uploads"].widget.attrs["accept"] = "image/*,.pdf"


class SupervisorForm(forms.Form):
    person = PersonChoice(Person.objects.none(), label=_("Person"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisorKind.choices)
    term_starts_on = forms.DateField(label=_("Term starts"))
    term_ends_on = forms.DateField(label=_("Term ends"))
    affiliation = forms.CharField(label=_("Background"), max_length=200, required=False)
    appointment_doc = forms.CharField(
        label=_("Letter of appointment"), max_length=100, required=False
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = (
                Person.objects.filter(is_active=True, supervisor_post__isnull=True)
                .select_related("unit")
                .order_by("unit__path", "name")
            )


class EndForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ReappointForm(forms.Form):
    term_starts_on = forms.DateField(label=_("Term starts"))
    term_ends_on = forms.DateField(label=_("Term ends"))
    appointment_doc = forms.CharField(
        label=_("Letter of appointment"), max_length=100, required=False
    )


class BallotsForm(forms.Form):
    group = forms.ModelChoiceField(
        EvaluatorGroup.objects.none(), label=_("Evaluation round and evaluator group")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            EvaluatorGroup.objects.filter(round__status__in=["draft", "open"])
            .select_related("round")
            .order_by("-round__id", "order")
        )
        self.fields["group"].label_from_instance = lambda g: f"{g.round.title} · {g.name}"


class TriageForm(forms.Form):
    DECISIONS = [
        ("complaint", _("Handle as a complaint (channel: supervisor)")),
        ("issue", _("Enter in the rectification ledger")),
        ("note", _("Note it and answer the supervisor")),
    ]
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True), label=_("Category"), required=False
    )
    type = forms.ChoiceField(label=_("Type"), choices=Type.choices, initial=Type.COMPLAINT)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    answer = forms.CharField(
        label=_("Answer to the supervisor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the report is only noted."),
    )


class ActivityForm(forms.Form):
    """Add the supervisor to a 五个一 activity record (office)."""

    record = forms.ModelChoiceField(
        label=_("Activity (五个一)"), queryset=ActivityRecord.objects.none()
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["record"]
        field.queryset = ActivityRecord.objects.filter(pk__in=[r.pk for r in records])
        field.choices = [("", "")] + [
            (r.pk, f"{r.held_on:%Y-%m-%d} · {r.activity.name} · {r.unit.name}") for r in records
        ]
