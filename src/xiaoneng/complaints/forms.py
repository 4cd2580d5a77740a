"""Forms of the complaint pages: registration by staff, the small action forms, identity reveal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock
from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.forms_org import UnitChoiceField
from xiaoneng.core.models import Department, Person, Unit
from xiaoneng.core.params import ParamError, to_id
from xiaoneng.core.selectors import people_for

from .models import Category
from .vocab import (
    ID_NUMBER_RE,
    MAX_CONTENT,
    PHONE_RE,
    Channel,
    Importance,
    Matter,
    Satisfaction,
    Type,
    Verification,
)


def active_units():
    return Unit.objects.filter(is_active=True).order_by("path")


def departments_of(unit_id) -> forms.models.QuerySet:
    if not unit_id:
        return Department.objects.none()
    return Department.objects.filter(unit_id=unit_id, is_active=True).order_by("sort_order", "id")


class UnitDepartmentMixin:
    """A unit select and a department select limited to that unit (refreshed by htmx)."""

    unit_field = "unit"

    def limit_departments(self) -> None:
        unit_id = None
        if self.is_bound:
            unit_id = self.data.get(self.add_prefix(self.unit_field)) or None
        elif self.initial.get(self.unit_field):
            unit_id = getattr(self.initial[self.unit_field], "pk", self.initial[self.unit_field])
        try:
            unit_id = to_id(unit_id) if unit_id else None
        except ParamError:
            unit_id = None
        self.fields["department"].queryset = departments_of(unit_id)
        self.fields[self.unit_field].widget.attrs.update(
            {
                "hx-get": self.departments_url,
                "hx-target": f"#{self['department'].auto_id}",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )

    def clean_department_of_unit(self, cleaned):
        unit, department = cleaned.get(self.unit_field), cleaned.get("department")
        if unit and department and department.unit_id != unit.pk:
            self.add_error("department", _("This department does not belong to the unit."))


FIELD_ALIASES = {  # service argument → form field
    "subject_unit": "unit",
    "subject_department": "department",
    "subject_person": "subject_person_name",
    "complainant": "complainant_name",
    "complainant.name": "complainant_name",
    "phone": "complainant_phone",
    "complainant.phone": "complainant_phone",
    "complainant.id_number": "complainant_id_number",
    "complainant.address": "complainant_address",
}


class ComplaintRegisterForm(UnitDepartmentMixin, forms.Form):
    service_field_aliases = FIELD_ALIASES  # core.formkit.add_service_errors

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    type = forms.ChoiceField(label=_("Type"), choices=Type.choices, initial=Type.COMPLAINT)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), to_field_name="code"
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        help_text=_("For transferred cases; empty means now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    unit = UnitChoiceField(label=_("Unit complained about"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    subject_person_name = forms.CharField(
        label=_("Person complained about"), max_length=100, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("Content"), max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 6})
    )
    importance = forms.ChoiceField(
        label=_("Importance"), choices=Importance.choices, initial=Importance.NORMAL
    )
    matter = forms.ChoiceField(
        label=_("Kind of matter"), choices=Matter.choices, initial=Matter.GENERAL
    )
    price_related = forms.BooleanField(label=_("Price-related"), required=False)
    external_ref = forms.CharField(label=_("External reference"), max_length=100, required=False)
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    complainant_name = forms.CharField(label=_("Complainant name"), max_length=100, required=False)
    complainant_phone = forms.CharField(label=_("Complainant phone"), max_length=30, required=False)
    complainant_id_number = forms.CharField(
        label=_("ID card number"), max_length=18, required=False
    )
    complainant_address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, departments_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.departments_url = departments_url
        self.fields["unit"].queryset = active_units()
        self.fields["category"].empty_label = None
        self.limit_departments()
        bootstrap(self)

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > clock.now():
            raise forms.ValidationError(_("The time received cannot be in the future."))
        return value

    def clean_complainant_phone(self):
        value = self.cleaned_data.get("complainant_phone", "").strip()
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("Enter a valid phone number."))
        return value

    def clean_complainant_id_number(self):
        value = self.cleaned_data.get("complainant_id_number", "").strip()
        if value and not ID_NUMBER_RE.match(value):
            raise forms.ValidationError(_("Enter a valid ID card number (15 or 18 characters)."))
        return value.upper()

    def clean(self):
        cleaned = super().clean()
        self.clean_department_of_unit(cleaned)
        if not cleaned.get("anonymous") and not (
            cleaned.get("complainant_name") or cleaned.get("complainant_phone")
        ):
            self.add_error(
                "complainant_name",
                _("Give the complainant's name or phone, or mark the complaint anonymous."),
            )
        return cleaned

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "channel": d["channel"],
            "type": d["type"],
            "category": d["category"],
            "received_at": d.get("received_at"),
            "subject_unit": d["unit"],
            "subject_department": d.get("department"),
            "subject_person_name": d.get("subject_person_name", ""),
            "title": d["title"],
            "content": d["content"],
            "importance": d["importance"],
            "matter": d["matter"],
            "price_related": d["price_related"],
            "external_ref": d.get("external_ref", ""),
            "complainant": {
                "anonymous": d["anonymous"],
                "name": d.get("complainant_name", ""),
                "phone": d.get("complainant_phone", ""),
                "id_number": d.get("complainant_id_number", ""),
                "address": d.get("complainant_address", ""),
            },
        }


# --- action forms (small, on the case page) ----------------------------------------------------
class ActionForm(forms.Form):
    def __init__(self, *args, user=None, complaint=None, departments_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.complaint, self.departments_url = user, complaint, departments_url
        self.setup()
        bootstrap(self, small=True)

    def setup(self) -> None:
        pass


class EmptyForm(ActionForm):
    pass


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DispatchForm(UnitDepartmentMixin, ActionForm):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)

    def setup(self) -> None:
        self.fields["unit"].queryset = active_units()
        if self.complaint is not None and not self.is_bound:
            self.initial.setdefault("unit", self.complaint.subject_unit_id)
            self.initial.setdefault("department", self.complaint.subject_department_id)
        self.limit_departments()

    def clean(self):
        cleaned = super().clean()
        self.clean_department_of_unit(cleaned)
        return cleaned


class AssignForm(ActionForm):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=Person.objects.none())

    def setup(self) -> None:
        qs = people_for(self.user).filter(is_active=True)
        if self.complaint is not None and self.complaint.unit_id:
            qs = qs.filter(unit_id=self.complaint.unit_id)
        self.fields["handler"].queryset = qs.order_by("name", "id")


class ReplyForm(ActionForm):
    content = forms.CharField(
        label=_("Reply"), max_length=MAX_CONTENT, widget=forms.Textarea(attrs={"rows": 4})
    )
    to_supervisor = forms.BooleanField(
        label=_("Also report to the supervising department"), required=False
    )


class VerifyForm(ActionForm):
    result = forms.ChoiceField(label=_("Verification"), choices=Verification.choices)


class ReturnVisitForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=120)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtensionDecisionForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)


class IdentityRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to see it?"),
        max_length=500,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": _("Reason for viewing (recorded in the audit log)"),
            }
        ),
    )
