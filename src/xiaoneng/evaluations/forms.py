"""Forms of the evaluation pages (Chinese labels through gettext; errors named per field)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoneng.complaints.forms import bootstrap
from xiaoneng.core.models import Department, Person, Unit
from xiaoneng.core.scope import scoped

from .models import VetoItem
from .vocab import Channel, EthicsGrade, EthicsStage, QuestionKind, SubjectKind

EXTRA_QUESTIONS = 3
EXTRA_KINDS = [("", "—")] + [
    (k.value, k.label) for k in QuestionKind if k != QuestionKind.SATISFACTION
]


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units surveyed"), queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        for i in range(1, EXTRA_QUESTIONS + 1):
            self.fields[f"q{i}_kind"] = forms.ChoiceField(
                label=_("Extra question %(n)s: type") % {"n": i},
                choices=EXTRA_KINDS,
                required=False,
            )
            self.fields[f"q{i}_text"] = forms.CharField(
                label=_("Extra question %(n)s") % {"n": i}, max_length=300, required=False
            )
            self.fields[f"q{i}_options"] = forms.CharField(
                label=_("Options (separated by ;)"), max_length=500, required=False
            )
        bootstrap(self)

    def questions(self) -> list[dict]:
        out = []
        for i in range(1, EXTRA_QUESTIONS + 1):
            kind = self.cleaned_data.get(f"q{i}_kind")
            if not kind:
                continue
            options = [
                o
                for o in (self.cleaned_data.get(f"q{i}_options") or "")
                .replace("；", ";")
                .split(";")
            ]
            out.append(
                {
                    "kind": kind,
                    "text": self.cleaned_data.get(f"q{i}_text", ""),
                    "options": options,
                    "required": kind != QuestionKind.TEXT,
                }
            )
        return out


class BatchForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    channel = forms.ChoiceField(
        label=pgettext_lazy("survey link", "Channel"),
        choices=Channel.choices,
        initial=Channel.TOKEN,
    )
    size = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=2000, initial=20)
    label = forms.CharField(label=_("Label"), max_length=100, required=False)

    def __init__(self, *args, user=None, survey=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = scoped(user, Unit).filter(surveys=survey).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["department"].queryset = Department.objects.filter(
            unit__in=units, is_active=True
        ).select_related("unit")
        bootstrap(self, small=True)


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    series = forms.CharField(
        label=_("Series"), max_length=100,
        help_text=_("Rounds of one series count consecutive poor results together."),
    )  # fmt: skip
    period_label = forms.CharField(label=_("Period"), max_length=50)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    subject_kind = forms.ChoiceField(label=_("Subjects"), choices=SubjectKind.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units evaluated"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    people = forms.ModelMultipleChoiceField(
        label=_("Department heads evaluated"), queryset=Person.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip
    apply_ranking = forms.BooleanField(
        label=_("Apply the ranking rules"), required=False, initial=True
    )
    group1_name = forms.CharField(label=_("Group 1"), initial="服务对象", max_length=50)
    group1_weight = forms.DecimalField(
        label=_("Weight (%)"), initial=40, min_value=0, max_value=100
    )
    group2_name = forms.CharField(
        label=_("Group 2"), initial="行风监督员", max_length=50, required=False
    )
    group2_weight = forms.DecimalField(
        label=_("Weight (%)"), initial=30, min_value=0, max_value=100, required=False
    )
    group3_name = forms.CharField(
        label=_("Group 3"), initial="同级互评", max_length=50, required=False
    )
    group3_weight = forms.DecimalField(
        label=_("Weight (%)"), initial=30, min_value=0, max_value=100, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        heads = Department.objects.filter(head__isnull=False).values("head_id")
        self.fields["people"].queryset = (
            scoped(user, Person)
            .filter(pk__in=heads, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "id")
        )
        self.fields["people"].label_from_instance = lambda p: (
            f"{p.unit.short_name or p.unit.name} · {p.name}"
        )
        bootstrap(self)

    def groups(self) -> list[tuple[str, object]]:
        out = []
        for i in (1, 2, 3):
            name = (self.cleaned_data.get(f"group{i}_name") or "").strip()
            weight = self.cleaned_data.get(f"group{i}_weight")
            if name and weight:
                out.append((name, weight))
        return out

    def people_with_posts(self) -> list[tuple[Person, str]]:
        out = []
        for person in self.cleaned_data.get("people") or []:
            dept = Department.objects.filter(head=person).order_by("id").first()
            out.append((person, f"{dept.name}负责人" if dept else person.position))
        return out


class BallotLinksForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Evaluator group"), queryset=None)
    count = forms.IntegerField(label=_("Number of links"), min_value=1, max_value=2000, initial=10)

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = round.groups.all()
        bootstrap(self, small=True)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("confirm", _("Confirm")), ("dismiss", _("Dismiss"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class EthicsOpenForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["year"].initial = timezone.localdate().year
        bootstrap(self, small=True)


class EvaluateForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=EthicsStage.choices, widget=forms.HiddenInput
    )
    text = forms.CharField(label=_("Evaluation"), widget=forms.Textarea(attrs={"rows": 3}))
    score = forms.DecimalField(label=_("Score (0–100)"), min_value=0, max_value=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)


class GradeForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[("", _("As suggested"))] + list(EthicsGrade.choices),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    vetoes = forms.ModelMultipleChoiceField(
        label=_("Veto items"), queryset=VetoItem.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    veto_note = forms.CharField(label=_("Veto facts"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)
        self.fields["vetoes"].widget.attrs["class"] = "form-check-input"


def default_window() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=30)
