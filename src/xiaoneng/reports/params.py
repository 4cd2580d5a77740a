"""The dashboard's filters, read the same way by the page, the JSON endpoint and the download:
``start`` / ``end`` (YYYY-MM-DD, inclusive; by default the last twelve months up to today)
and ``unit`` (a unit id in the user's scope: that unit and the units below it; a unit out of
scope is a 404, like any object out of scope)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.forms_org import UnitChoiceField
from xiaoneng.core.models import Unit
from xiaoneng.core.scope import get_scoped_or_404
from xiaoneng.core.selectors import unit_choices
from xiaoneng.core.statistics import Params

MAX_DAYS = 366 * 5


def today() -> dt.date:
    return timezone.localdate(clock.now())


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    for _i in range(11):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first, today


class FilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit = UnitChoiceField(
        label=_("Unit (and below)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units in my scope"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user).filter(is_active=True)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field, UnitChoiceField)
                else "form-control form-control-sm"
            )


def parse(user, data, *, today: dt.date) -> Params:
    """Params from a query dict; bad dates are a ValidationFailed (400) naming each field."""
    errors: dict[str, list[str]] = {}
    values = {}
    for key in ("start", "end"):
        raw = (data.get(key) or "").strip()
        if not raw:
            values[key] = None
            continue
        try:
            values[key] = dt.date.fromisoformat(raw)
        except ValueError:
            errors[key] = [str(_("Enter a date as YYYY-MM-DD."))]
    unit = None
    raw_unit = (data.get("unit") or "").strip()
    if raw_unit:
        if not raw_unit.isdigit():
            errors["unit"] = [str(_("Enter a unit id."))]
        else:
            unit = get_scoped_or_404(user, Unit, pk=int(raw_unit))
    if errors:
        raise ValidationFailed(errors=errors)
    start, end = default_period(today)
    start = values["start"] or start
    end = values["end"] or (
        end if values["start"] is None or values["start"] <= end else values["start"]
    )
    if start > end:
        raise ValidationFailed(errors={"end": [str(_("The end comes before the start."))]})
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(errors={"start": [str(_("Choose a period of at most five years."))]})
    return Params(start=start, end=end, unit=unit)


def parse_or_default(user, data, *, today: dt.date) -> tuple[Params, ValidationFailed | None]:
    """The page's filters: bad ones fall back to the default period, with the reason to show."""
    try:
        return parse(user, data, today=today), None
    except ValidationFailed as exc:
        return parse(user, {}, today=today), exc
