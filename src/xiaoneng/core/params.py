"""Query parameters: the one layer that parses them (issue #21.8).

Every value a URL's query string carries — ids, whole numbers, dates, instants, flags, choices,
sort keys — is read through this module, never with a bare ``int()`` / ``fromisoformat``:

- ``to_id`` / ``to_int`` take ASCII digits only (``"²".isdigit()`` is true, ``int("²")`` fails)
  and stay within a 64-bit column (a 20-digit id overflows SQLite and PostgreSQL);
- ``to_date`` / ``to_instant`` accept ISO 8601 within years 1900–2999 and real UTC offsets
  (``+99:00`` and ``9999-12-31T23:59:59-14:00`` are refused before the database sees them);
- ``sort_order`` turns ``?sort=key`` / ``-key`` into ORDER BY fields for declared columns only
  and reverses each field properly (``-received_at`` reversed is ``received_at``, not
  ``--received_at``).

``Params`` reads a request's query string with these parsers and collects the problems: the API
raises them as one 400 problem+json (``api_params(request)`` … ``.check()``); pages ignore the
bad value and say so once with a message (``page_params(request)``). FilterSets use the form
fields and filters at the end (``IdField``/``IdFilter``, ``InstantOrDateField``/``Filter``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import django_filters
from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ValidationFailed

MAX_ID = 2**63 - 1  # BIGINT / SQLite INTEGER
MIN_YEAR, MAX_YEAR = 1900, 2999
_INT = re.compile(r"-?[0-9]{1,19}", re.ASCII)
_OFFSET_LOST_IN_QUERY = re.compile(r"^(.*\d) (\d\d:?\d\d)$")  # "+08:00" whose "+" became " "
T = TypeVar("T")


class ParamError(ValueError):
    """A query parameter's value cannot be used; ``str()`` is the message for the user."""


# --- parsers (raise ParamError) ----------------------------------------------------------------
def to_int(raw: Any, *, minimum: int | None = None, maximum: int = MAX_ID) -> int:
    text = str(raw).strip()
    if not _INT.fullmatch(text):
        raise ParamError(_("Enter a whole number."))
    value = int(text)
    if minimum is not None and value < minimum:
        raise ParamError(_("Enter a number of at least %(n)d.") % {"n": minimum})
    if value > maximum:
        raise ParamError(_("Enter a number of at most %(n)d.") % {"n": maximum})
    return value


def to_id(raw: Any) -> int:
    """A record id: 1 … 2⁶³−1 in ASCII digits."""
    try:
        return to_int(raw, minimum=1)
    except ParamError:
        raise ParamError(_("Not a valid id.")) from None


def _year_ok(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def to_date(raw: Any) -> date:
    """YYYY-MM-DD (years 1900–2999)."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = date.fromisoformat(str(raw).strip())
        except ValueError:
            raise ParamError(_("Enter a date as YYYY-MM-DD.")) from None
    if not _year_ok(value):
        raise ParamError(
            _("Enter a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}
        )
    return value


def to_instant(raw: Any) -> datetime:
    """An ISO 8601 date-time (an offset within ±24 h; none means local time), years 1900–2999
    in UTC as well. A "+08:00" whose "+" became a space in an unencoded URL is read as meant."""
    if isinstance(raw, datetime):
        value = raw
    else:
        text = str(raw).strip()
        match = _OFFSET_LOST_IN_QUERY.match(text)
        if match and "T" in text:
            text = f"{match.group(1)}+{match.group(2)}"
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ParamError(_("Enter a date and time, e.g. 2026-09-30T17:00:00+08:00.")) from None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not (_year_ok(value) and _year_ok(utc)):
        raise ParamError(
            _("Enter a date between %(a)d and %(b)d.") % {"a": MIN_YEAR, "b": MAX_YEAR}
        )
    return value


def to_instant_or_date(raw: Any) -> datetime | date:
    """A bare date (10 characters) stays a date; anything else is an instant."""
    if isinstance(raw, datetime | date):
        return to_instant(raw) if isinstance(raw, datetime) else to_date(raw)
    return to_date(raw) if len(str(raw).strip()) == 10 else to_instant(raw)


TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def to_bool(raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ParamError(_("Use true or false."))


def to_choice(raw: Any, choices: Iterable[str]) -> str:
    text = str(raw)
    if text not in set(choices):
        raise ParamError(_("Not one of the available choices."))
    return text


# --- sorting -----------------------------------------------------------------------------------
def reverse_field(name: str) -> str:
    """``a`` → ``-a``; ``-a`` → ``a``."""
    return name[1:] if name.startswith("-") else f"-{name}"


def sort_order(
    raw: str | None, columns: Mapping[str, Sequence[str]]
) -> tuple[str, bool, list[str] | None]:
    """``?sort=`` against the sortable columns (key → ORDER BY fields): (key, descending, the
    fields to order by); an unknown or empty key gives ("", False, None) — the default order."""
    text = str(raw or "")
    desc = text.startswith("-")
    key = text[1:] if desc else text
    fields = columns.get(key)
    if not key or not fields:
        return "", False, None
    return key, desc, [reverse_field(f) if desc else f for f in fields]


# --- reading a request ---------------------------------------------------------------------------
class Params:
    """A query string read through the parsers; bad values become ``default`` and are recorded
    in ``errors`` (and reported through ``on_error`` when given)."""

    def __init__(
        self, data: Mapping[str, Any], *, on_error: Callable[[str, str], None] | None = None
    ):
        self.data = data
        self.errors: dict[str, list[str]] = {}
        self.on_error = on_error

    def raw(self, name: str) -> str:
        value = self.data.get(name, "")
        return "" if value is None else str(value).strip()

    def parse(self, name: str, parser: Callable[..., T], default: Any = None, **kwargs) -> T | Any:
        text = self.raw(name)
        if not text:
            return default
        try:
            return parser(text, **kwargs)
        except ParamError as exc:
            self.errors.setdefault(name, []).append(str(exc))
            if self.on_error:
                self.on_error(name, str(exc))
            return default

    def id(self, name: str, default: int | None = None) -> int | None:
        return self.parse(name, to_id, default)

    def int(self, name: str, default: int | None = None, **bounds) -> int | None:
        return self.parse(name, to_int, default, **bounds)

    def date(self, name: str, default: date | None = None) -> date | None:
        return self.parse(name, to_date, default)

    def instant(self, name: str, default: datetime | None = None) -> datetime | None:
        return self.parse(name, to_instant, default)

    def bool(self, name: str, default: bool | None = None) -> bool | None:
        return self.parse(name, to_bool, default)

    def choice(self, name: str, choices: Iterable[str], default: str | None = None) -> str | None:
        return self.parse(name, to_choice, default, choices=list(choices))

    def check(self) -> None:
        """API: any bad value → 400 problem+json naming the parameters."""
        if self.errors:
            raise ValidationFailed(_("Invalid query parameter"), errors=self.errors)


def api_params(request) -> Params:
    return Params(getattr(request, "query_params", request.GET))


def page_params(request) -> Params:
    """Pages: a bad value is ignored and the user told once which parameter it was."""

    def warn(name: str, message: str) -> None:
        messages.warning(
            request,
            _("The address parameter “%(name)s” was ignored: %(message)s")
            % {"name": name[:40], "message": message},
        )

    return Params(request.GET, on_error=warn)


# --- form fields and filters (FilterSets validate through the same parsers) ----------------------
class _ParsedField(forms.Field):
    parser: Callable[[Any], Any] = staticmethod(str)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return type(self).parser(value)
        except ParamError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class IdField(_ParsedField, forms.IntegerField):
    """A record id in a filter (``?issue=``, ``?campaign=``)."""

    parser = staticmethod(to_id)

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class InstantOrDateField(_ParsedField):
    """An ISO 8601 instant or a bare date."""

    parser = staticmethod(to_instant_or_date)
    default_error_messages = {
        "invalid": gettext_lazy(
            "Enter a date (YYYY-MM-DD) or a time with offset (2026-09-30T17:00:00+08:00)."
        )
    }


class BoundedDateField(_ParsedField, forms.DateField):
    parser = staticmethod(to_date)


class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class DateFilter(django_filters.DateFilter):
    field_class = BoundedDateField


class InstantOrDateFilter(django_filters.Filter):
    """``field_name__lookup_expr`` against an instant; a bare date means its local midnight, or,
    with ``end_of_day``, everything before the next day's midnight."""

    field_class = InstantOrDateField

    def __init__(self, *args, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        if isinstance(value, date) and not isinstance(value, datetime):
            day = value + timedelta(days=1) if self.end_of_day else value
            value = timezone.make_aware(datetime.combine(day, time.min))
            if self.end_of_day:  # strictly before the next day's midnight
                return qs.filter(**{f"{self.field_name}__lt": value})
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": value})


# --- list pages: sortable column headers -------------------------------------------------------
def query_with(request, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def sort_list(request, qs, columns: Sequence[Any], default: Sequence[str]):
    """Order ``qs`` by ``?sort=key`` / ``-key`` (columns with ``key``, ``label`` and ``order_by``;
    only those with ``order_by`` sort); returns the queryset and the header cells."""
    sortable = {c.key: c.order_by for c in columns if c.order_by}
    key, desc, fields = sort_order(request.GET.get("sort"), sortable)
    qs = qs.order_by(*fields, "pk") if fields else qs.order_by(*default)
    headers = []
    for col in columns:
        cell = {"label": col.label, "key": col.key, "sortable": bool(col.order_by)}
        if col.order_by:
            active = col.key == key
            cell |= {
                "active": active,
                "desc": active and desc,
                "url": query_with(
                    request, sort=f"-{col.key}" if active and not desc else col.key, page=None
                ),
            }
        headers.append(cell)
    return qs, headers
