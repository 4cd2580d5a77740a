"""What every app's HTML forms share: Bootstrap classes, service errors on the form, several files
in one input. Apps import these; they do not write their own."""

from __future__ import annotations

from django import forms

from .errors import ApplicationError
from .formtools import polish


def bootstrap(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Bootstrap 5 classes on every widget (``small``: the compact variant for dense pages);
    invalid ones marked after a POST. Radio and checkbox lists are laid out by the template."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            css = ""
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + (" form-control-sm" if small else "")
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        if css:
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    polish(form)  # no "---------", date pickers, unit search (core.formtools)
    return form


def add_service_errors(form: forms.BaseForm, exc: ApplicationError) -> None:
    """A service's ``ValidationFailed`` on the form: each field's messages on that field (the
    ones for fields the form does not have, and a bare detail, on the form as a whole). A form
    whose fields are named differently from the service's arguments maps them in
    ``service_field_aliases`` (service argument → form field)."""
    aliases: dict[str, str] = getattr(form, "service_field_aliases", {})
    if not exc.errors:
        form.add_error(None, exc.detail)
    for name, errors in exc.errors.items():
        field = aliases.get(name, name)
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, cleaned to a list of uploads; each is content-checked by
    ``core.files.store_upload`` when the view stores it."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
