"""Forms of the 创先争优 pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.forms_org import UnitChoiceField
from xiaoneng.core.models import Department, Person, Unit
from xiaoneng.core.scope import scoped

from .models import PartyMember, StarScheme
from .vocab import Award, OrgKind, Post


def _people(user):
    return scoped(user, Person).filter(is_active=True).select_related("unit").order_by("unit__path")


def _person_label(p) -> str:
    return f"{p.unit.name} · {p.name}{f'（{p.position}）' if p.position else ''}"


class OrganisationForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Type"), choices=OrgKind.choices, initial=OrgKind.BRANCH)
    secretary = forms.ModelChoiceField(
        label=_("Secretary"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["secretary"].queryset = _people(user)
        self.fields["secretary"].label_from_instance = _person_label
        bootstrap(self, small=True)


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    joined_on = forms.DateField(label=_("Joined the party on"), required=False)
    shows_identity = forms.BooleanField(label=_("Shows the identity (亮身份)"), required=False)
    post = forms.ChoiceField(label=_("Model or vanguard post"), choices=Post.choices,
                             required=False)  # fmt: skip
    post_name = forms.CharField(label=_("Name of the post"), max_length=100, required=False)
    commitment = forms.CharField(label=_("Public commitment (承诺)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    fulfilment = forms.CharField(label=_("How the commitment is kept (践诺)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            is_active=True, unit__path__startswith=organisation.unit.path
        ).select_related("unit")
        self.fields["person"].label_from_instance = _person_label
        bootstrap(self, small=True)


class RatingForm(forms.Form):
    """The score fields are built from the chosen scheme's criteria (data)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    subject_name = forms.CharField(label=_("Rated (window, nurse or department)"), max_length=100)

    def __init__(self, *args, user, scheme: StarScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["year"].initial = timezone.localdate().year
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["department"].queryset = scoped(user, Department).select_related("unit")
        self.fields["department"].label_from_instance = lambda d: f"{d.unit.name} · {d.name}"
        self.criteria = list(scheme.criteria.all())
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=f"{c.name}（{format(c.max_score.normalize(), 'f')}）",
                min_value=0, max_value=c.max_score, decimal_places=2,
            )  # fmt: skip
        bootstrap(self, small=True)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["scores"] = {str(c.pk): data.pop(f"score_{c.pk}") for c in self.criteria}
        data["scheme"] = self.scheme
        return data


class NominationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    award = forms.ChoiceField(label=_("Award"), choices=Award.choices)
    organisation = forms.ModelChoiceField(label=_("Party organisation"), queryset=None)
    member = forms.ModelChoiceField(
        label=_("Party member"), queryset=PartyMember.objects.none(), required=False
    )
    reason = forms.CharField(label=_("Deeds"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)  # fmt: skip

    def __init__(self, *args, organisations, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["organisation"].queryset = organisations
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.organisation.name} · {m.person.name}"
        )
        bootstrap(self, small=True)


class ContactForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Person.objects.none())
    unit = UnitChoiceField(label=_("Grass-roots unit"), queryset=Unit.objects.none())
    since = forms.DateField(label=_("Since"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scoped(user, Unit).filter(is_active=True).order_by("path")
        self.fields["leader"].queryset = _people(user)
        self.fields["leader"].label_from_instance = _person_label
        bootstrap(self, small=True)


class ContactVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"))
    findings = forms.CharField(label=_("Situation and problems found"),
                               widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    help_given = forms.CharField(label=_("Help given and suggestions"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self, small=True)
