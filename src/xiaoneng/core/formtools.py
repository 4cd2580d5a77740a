"""Finishing touches every form gets from its app's ``bootstrap()``.

- No "---------": the empty choice of a select says what it means — 全部 (All) on a filter bar,
  请选择 (Choose…) on a required field, 无 (None) on an optional one. A required select
  therefore starts on "Choose…" instead of silently preselecting its first option.
- Date fields use the browser's date picker (``<input type="date">``).
- Selects with many options (units) get a search box (``data-searchable``, see xiaoneng.js).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .widgets import FastSelect

DASHES = "---------"


def is_filter_form(form: forms.BaseForm) -> bool:
    return "Filter" in type(form).__name__ or getattr(form, "is_filter_form", False)


def empty_label_for(form: forms.BaseForm, field: forms.Field) -> StrOrPromise:
    if is_filter_form(form):
        return _("All")
    return _("Choose…") if field.required else _("None")


def polish(form: forms.BaseForm) -> forms.BaseForm:
    for field in form.fields.values():
        widget = field.widget
        if (
            not isinstance(field, forms.ModelChoiceField)
            and getattr(field, "empty_label", None) == DASHES
        ):
            setattr(field, "empty_label", empty_label_for(form, field))  # noqa: B010  django-filter's ChoiceField
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DASHES or (
                field.empty_label is None
                and field.required
                and not field.initial
                and type(widget) in (forms.Select, FastSelect)
            ):
                field.empty_label = empty_label_for(form, field)
        elif isinstance(field, forms.ChoiceField):
            choices = list(cast("Iterable[tuple[Any, Any]]", field.choices))
            if any(value in ("", None) and label == DASHES for value, label in choices):
                field.choices = [
                    (value, empty_label_for(form, field) if label == DASHES else label)
                    for value, label in choices
                ]
        if (
            isinstance(widget, forms.Select)
            and not isinstance(field, forms.ModelChoiceField)
            and any(label == DASHES for _value, label in list(widget.choices))
        ):  # the widget keeps its own copy of the choices
            widget.choices = [
                (value, empty_label_for(form, field) if label == DASHES else label)
                for value, label in list(widget.choices)
            ]
        if isinstance(widget, forms.NullBooleanSelect) and is_filter_form(form):
            widget.choices = [
                (value, _("All") if value in ("", "unknown") else label)
                for value, label in widget.choices
            ]
        if isinstance(field, forms.DateField) and getattr(widget, "input_type", "") == "text":
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        if (
            isinstance(widget, forms.Select)
            and isinstance(field, forms.ModelChoiceField)
            and field.queryset is not None
            and field.queryset.model.__name__ == "Unit"
        ):
            widget.attrs.setdefault("data-searchable", "")
            widget.attrs.setdefault("data-search-placeholder", _("Type to find a unit"))
    return form
