"""Forms of the 领导接待日 and 院务公开 pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.complaints.models import Category
from xiaoneng.complaints.vocab import Type
from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.forms_org import UnitChoiceField
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.scope import scoped

from .vocab import Section


def _when(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ReceptionForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Person.objects.none())
    starts_at = _when(_("Starts at"))
    ends_at = _when(_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=200)
    topics = forms.CharField(label=_("Topics"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["leader"].queryset = (
            scoped(user, Person)
            .filter(is_active=True)
            .select_related("unit")
            .order_by("unit__path")
        )
        self.fields["leader"].label_from_instance = lambda p: (
            f"{p.unit.name} · {p.name}{f'（{p.position}）' if p.position else ''}"
        )
        bootstrap(self, small=True)


class VisitForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=Type.choices, initial=Type.COMPLAINT)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("What the visitor said"), widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(label=_("Visitor's name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Visitor's phone"), max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["complainant"] = {"name": data.pop("name"), "phone": data.pop("phone")}
        return data


class ItemForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=Section.choices)
    title = forms.CharField(label=_("Item"), max_length=200)
    time_limit = forms.CharField(label=_("Time limit"), max_length=100, required=False)
    price = forms.DecimalField(
        label=_("Price (yuan)"), max_digits=10, decimal_places=2, required=False
    )
    price_unit = forms.CharField(label=_("Charged per"), max_length=30, required=False)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)
