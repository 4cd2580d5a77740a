"""Forms of the service time pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.formkit import bootstrap  # noqa: F401  (re-exported for the views)

from .models import LogSource, ServiceStandard
from .vocab import CalendarKind, MissingEnd

FIELD_LABELS = {
    "encounter": _("Encounter id"),
    "event": _("Event kind"),
    "timestamp": _("Time"),
    "unit": _("Unit code"),
    "department": _("Department"),
    "staff": _("Staff id"),
}


class StandardForm(forms.ModelForm):
    class Meta:
        model = ServiceStandard
        fields = [
            "name",
            "start_event",
            "end_event",
            "limit_minutes",
            "calendar_kind",
            "threshold_percent",
            "missing_end",
            "source_quote",
            "is_active",
            "order",
        ]
        widgets = {"source_quote": forms.Textarea(attrs={"rows": 2})}


class OverrideForm(forms.Form):
    standard = forms.ModelChoiceField(ServiceStandard.objects.all(), label=_("Standard"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))
    limit_minutes = forms.IntegerField(label=_("Limit (minutes)"), min_value=1, required=False)
    threshold_percent = forms.DecimalField(
        label=_("Compliance threshold (%)"), min_value=0, max_value=100, required=False
    )
    is_active = forms.BooleanField(label=_("Applies in this unit"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SourceForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in LogSource.FIELDS:
            self.fields[f"col_{key}"] = forms.CharField(
                label=_("Column of: %(field)s") % {"field": FIELD_LABELS[key]},
                max_length=100,
                required=key in LogSource.REQUIRED,
            )

    def mapping(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"col_{k}") or "" for k in LogSource.FIELDS}


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(LogSource.objects.all(), label=_("Source system"))
    file = forms.FileField(
        label=_("Log file"),
        help_text=_(
            "CSV (UTF-8), .xlsx or Parquet, one event a row. Times without a zone are local time "
            "(Asia/Shanghai, UTC+8)."
        ),
    )


class MappingForm(forms.Form):
    """Which of the file's columns holds each field (prefilled from the source's mapping)."""

    def __init__(self, *args, columns: list[str], source: LogSource, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((c, c) for c in columns)]
        for key in LogSource.FIELDS:
            current = source.mapping.get(key, "")
            self.fields[key] = forms.ChoiceField(
                label=FIELD_LABELS[key],
                choices=choices,
                required=key in LogSource.REQUIRED,
                initial=current if current in columns else "",
            )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ResultFilter(forms.Form):
    month = forms.ChoiceField(label=_("Month"), required=False)
    standard = forms.ModelChoiceField(
        ServiceStandard.objects.all(), label=_("Standard"), required=False
    )

    def __init__(self, *args, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [("", _("All")), *((m, m) for m in months)]
        self.fields["month"].widget.attrs["data-autosubmit"] = ""
        self.fields["standard"].widget.attrs["data-autosubmit"] = ""


__all__ = ["CalendarKind", "MissingEnd"]
