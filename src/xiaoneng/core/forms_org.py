"""Forms of the organisation pages: list filters, the unit editor, import upload, calendar edits."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from . import selectors
from .formtools import polish
from .models import CalendarDay, Department, Person, Unit
from .params import Params
from .services import org as org_services
from .widgets import FastSelect, FastSelectMultiple


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget the Bootstrap 5 class it needs (and mark invalid ones after a POST)."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    polish(form)
    return form


def unit_label(name: str, depth: int) -> str:
    return f"{'　' * depth}{name}"


class UnitChoiceIterator(ModelChoiceIterator):
    """(pk, indented name) straight from the database: no Unit objects for 5,000 options."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name, depth in self.queryset.values_list("pk", "name", "depth"):
            yield (pk, unit_label(name, depth))


class UnitChoiceField(forms.ModelChoiceField):
    """A unit, indented by its depth (renders fast with a province's 5,000 units)."""

    widget = FastSelect
    iterator = UnitChoiceIterator

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj.name, obj.depth)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = FastSelectMultiple
    iterator = UnitChoiceIterator

    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj.name, obj.depth)


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.unit.short_name or obj.unit.name} · {obj.name}"


def _filter_choices(form: forms.BaseForm, name: str, queryset) -> None:
    """A list filter's model choice: the rows the user may pick, "All" when blank."""
    field = cast(forms.ModelChoiceField, form.fields[name])
    field.queryset = queryset
    field.empty_label = _("All")


def _blank(choices) -> list[tuple[str, StrOrPromise]]:
    return [("", _("All")), *[(str(v), str(label)) for v, label in choices]]


# --- list filters (GET) ------------------------------------------------------------------------
class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.setup()
        bootstrap(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += (
                " form-select-sm"
                if "form-select" in field.widget.attrs["class"]
                else " form-control-sm"
            )

    def setup(self) -> None:
        pass

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None


class UnitFilterForm(FilterForm):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(Unit.Kind.choices))
    level = forms.ChoiceField(label=_("Level"), required=False, choices=_blank(Unit.Level.choices))
    under = UnitChoiceField(label=_("Under unit"), required=False, queryset=Unit.objects.none())
    window = forms.ChoiceField(
        label=_("Window unit"),
        required=False,
        choices=[("", _("All")), ("1", _("Yes")), ("0", _("No"))],
    )

    def setup(self) -> None:
        self.fields["q"].widget.attrs["placeholder"] = _("Name or code")
        _filter_choices(self, "under", selectors.unit_choices(self.user))

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(name__icontains=data["q"])
                | Q(short_name__icontains=data["q"])
                | Q(code__icontains=data["q"])
            )
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["level"]:
            qs = qs.filter(level=data["level"])
        if data["under"]:
            qs = qs.filter(path__startswith=data["under"].path)
        if data["window"]:
            qs = qs.filter(is_window=data["window"] == "1")
        return qs


class DepartmentFilterForm(FilterForm):
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=_blank(Department.Kind.choices)
    )
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())

    def setup(self) -> None:
        self.fields["q"].widget.attrs["placeholder"] = _("Department name")
        _filter_choices(self, "unit", selectors.unit_choices(self.user))

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(name__icontains=data["q"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["unit"]:
            qs = qs.filter(unit=data["unit"])
        return qs


class PersonFilterForm(FilterForm):
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    department = DepartmentChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none()
    )
    political_status = forms.ChoiceField(
        label=_("Political status"), required=False, choices=_blank(Person.Political.choices)
    )
    leadership = forms.ChoiceField(
        label=_("Leadership"),
        required=False,
        choices=[
            ("", _("All")),
            ("principal", _("Principal leader")),
            ("in_charge", _("Leader in charge")),
            ("head", _("Department head")),
        ],
    )

    def setup(self) -> None:
        self.fields["q"].widget.attrs["placeholder"] = _("Name, employee number or phone")
        units = selectors.unit_choices(self.user)
        _filter_choices(self, "unit", units)
        departments = selectors.departments_for(self.user)
        unit_id = Params(self.data or {}).id("unit")
        if unit_id:
            departments = departments.filter(unit_id=unit_id)
        _filter_choices(self, "department", departments)

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(name__icontains=data["q"])
                | Q(employee_no__icontains=data["q"])
                | Q(phone__icontains=data["q"])
            )
        if data["unit"]:
            qs = qs.filter(unit=data["unit"])
        if data["department"]:
            qs = qs.filter(departments=data["department"])
        if data["political_status"]:
            qs = qs.filter(political_status=data["political_status"])
        lookup = {
            "principal": "principal_of__isnull",
            "in_charge": "oversees__isnull",
            "head": "head_of__isnull",
        }.get(data["leadership"])
        if lookup:
            qs = qs.filter(**{lookup: False}).distinct()
        return qs


# --- the unit editor -----------------------------------------------------------------------------
class UnitForm(forms.ModelForm):
    """Validates and renders; the view saves through ``org_services.unit_update``."""

    parent = UnitChoiceField(label=_("parent unit"), required=False, queryset=Unit.objects.none())
    principal = forms.ModelChoiceField(
        label=_("principal leader"), required=False, queryset=Person.objects.none()
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "level",
            "parent",
            "phone",
            "address",
            "is_window",
            "principal",
            "sort_order",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        # Parents the user may pick: units in scope (and the current parent), never itself or below.
        in_scope = selectors.units_for(user).values("pk")
        parents = Unit.objects.filter(Q(pk__in=in_scope) | Q(pk=unit.parent_id))
        if unit.pk:
            parents = parents.exclude(path__startswith=unit.path)
        self.fields["parent"].queryset = parents.order_by("path")
        # The principal is one of the unit's own people (those the user may see, and the current one).
        people = selectors.people_for(user).filter(unit=unit).values("pk")
        self.fields["principal"].queryset = Person.objects.filter(
            Q(pk__in=people) | Q(pk=unit.principal_id)
        ).order_by("name")
        if not org_services.may_change_structure(user):
            # Shown but fixed: the service refuses a change anyway (the rule lives there).
            for name in org_services.UNIT_STRUCTURE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Only the efficiency office can change this.")
        bootstrap(self)

    def changes(self) -> dict:
        """The cleaned values, in the service's vocabulary."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- import --------------------------------------------------------------------------------------
class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file (Excel 2007 or later)."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


# --- calendar ------------------------------------------------------------------------------------
class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("type"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("name"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. 春节")

    def clean(self):
        data = super().clean()
        day, kind = data.get("date"), data.get("kind")
        if day and kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
            self.add_error("date", _("A make-up working day must be a Saturday or Sunday."))
        return data
