"""Forms of the self-inspection pages; choices of units and people come from the user's scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.files import store_upload
from xiaoneng.core.formkit import (  # noqa: F401  (the views use them as forms.*)
    MultipleFileField,
    MultipleFileInput,
    add_service_errors,
    bootstrap,
)
from xiaoneng.core.forms_org import UnitChoiceField as UnitField
from xiaoneng.core.forms_org import UnitMultipleChoiceField as UnitsField
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.scope import scoped

from .models import (
    ChecklistTemplate,
    Commitment,
    LearningKind,
    RecurringActivity,
    RuleType,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _units(user):
    return scoped(user, Unit).filter(is_active=True).order_by("path")


def _people(user):
    return (
        scoped(user, Person)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "id")
    )


class AssignForm(forms.Form):
    template = forms.ModelChoiceField(
        ChecklistTemplate.objects.filter(is_active=True), label=_("Checklist")
    )
    units = UnitsField(
        Unit.objects.none(), required=False, label=pgettext_lazy("the units themselves", "Units")
    )
    people = forms.ModelMultipleChoiceField(
        Person.objects.none(), required=False, label=_("People")
    )
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    campaign = forms.ModelChoiceField(Campaign.objects.all(), required=False, label=_("Campaign"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units(user)
        self.fields["people"].queryset = _people(user)

    def clean(self):
        data = super().clean()
        if not data.get("units") and not data.get("people"):
            raise forms.ValidationError(_("Choose a unit or a person."))
        return data


class MaterialForm(forms.Form):
    text = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Self-inspection material"),
    )
    files = MultipleFileField(label=_("Files"))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("files"):
            raise forms.ValidationError(_("Write the material or attach a file."))
        return data


class CommitmentForm(forms.Form):
    unit = UnitField(Unit.objects.none(), required=False, label=_("Unit"))
    person = forms.ModelChoiceField(Person.objects.none(), required=False, label=_("Person"))
    content = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Content"))
    committed_on = forms.DateField(label=_("Date"), widget=DATE)
    audience = forms.ChoiceField(choices=Commitment.Audience.choices, label=_("Made to"))
    is_public = forms.BooleanField(required=False, label=_("Public"))
    person_consents = forms.BooleanField(
        required=False, label=_("The person agrees to be named publicly")
    )
    campaign = forms.ModelChoiceField(Campaign.objects.all(), required=False, label=_("Campaign"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["person"].queryset = _people(user)


class ReviewForm(forms.Form):
    fulfilment = forms.ChoiceField(
        choices=[c for c in Commitment.Fulfilment.choices if c[0] != Commitment.Fulfilment.PENDING],
        label=_("Fulfilment"),
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )
    evidence = MultipleFileField(label=_("Evidence"))


class LearningRecordForm(forms.Form):
    person = forms.ModelChoiceField(Person.objects.none(), label=_("Person"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0, label=_("Hours"))
    kind = forms.ChoiceField(choices=LearningKind.choices, label=_("Kind"))
    topic = forms.CharField(max_length=200, label=_("Topic"))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )
    essays = MultipleFileField(label=_("Reflection essays"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(user)


class GroupSessionForm(forms.Form):
    unit = UnitField(Unit.objects.none(), label=_("Unit"))
    attendees = forms.ModelMultipleChoiceField(
        Person.objects.none(), label=_("Attendees"), widget=forms.CheckboxSelectMultiple
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(max_digits=5, decimal_places=1, min_value=0, label=_("Hours"))
    kind = forms.ChoiceField(
        choices=LearningKind.choices, initial=LearningKind.GROUP, label=_("Kind")
    )
    topic = forms.CharField(max_length=200, label=_("Topic"))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["attendees"].queryset = _people(user)


class ActivityRecordForm(forms.Form):
    activity = forms.ModelChoiceField(
        RecurringActivity.objects.filter(is_active=True), label=_("Activity")
    )
    unit = UnitField(Unit.objects.none(), label=_("Unit"))
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    participant_count = forms.IntegerField(
        min_value=0, initial=0, label=_("Number of participants")
    )
    participants = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Participants")
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )
    photos = MultipleFileField(
        label=_("Photos"), widget=MultipleFileInput(attrs={"accept": "image/*"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)


class RuleForm(forms.Form):
    unit = UnitField(Unit.objects.none(), label=_("Unit"))
    rule_type = forms.ChoiceField(choices=RuleType.choices, label=_("Type"))
    name = forms.CharField(required=False, max_length=200, label=_("Name"))
    owner = forms.ModelChoiceField(Person.objects.none(), required=False, label=_("Owner"))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    next_review_on = forms.DateField(required=False, label=_("Next review"), widget=DATE)
    document = forms.FileField(required=False, label=_("Document"))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Notes")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(user)
        self.fields["owner"].queryset = _people(user)


class RuleReviewForm(forms.Form):
    """A rule was reviewed (复审): the next review date moves on; a revised document may come."""

    next_review_on = forms.DateField(label=_("Next review"), widget=DATE)
    document = forms.FileField(required=False, label=_("Revised document"))
    notes = forms.CharField(required=False, max_length=2000, label=_("Notes"))


def store_uploads(field: str, uploads, actor, *, allowed=None) -> list:
    """Store uploads through ``core.files`` (content type by bytes, size cap, audit); a refused
    file is a validation error of `field`. Call inside the transaction of the write."""
    stored = []
    for upload in uploads or []:
        if not upload:
            continue
        try:
            stored.append(store_upload(upload=upload, actor=actor, allowed=allowed))
        except ValidationFailed as exc:
            messages_ = [m for msgs in (exc.errors or {}).values() for m in msgs] or [exc.detail]
            raise ValidationFailed(exc.detail, errors={field: messages_}) from exc
    return stored
