from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns import selectors as campaigns
from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.selectors import unit_choices

from . import selectors
from .models import Document, DocumentTemplate

__all__ = [
    "ArchiveForm",
    "DocumentEditForm",
    "DocumentNewForm",
    "SendBackForm",
    "TemplateForm",
    "bootstrap",
]


class DocumentNewForm(forms.Form):
    template = forms.ModelChoiceField(queryset=None, label=_("Template"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Issuing unit"))
    source_ref = forms.CharField(
        label=_("Source record"),
        max_length=60,
        required=False,
        help_text=_(
            "Campaign: its id; campaign month: id:YYYY-MM; a unit's ledger: campaign id:unit id; "
            "otherwise the id of the bulletin, order, consequence, case or complaint."
        ),
    )

    campaign = forms.ModelChoiceField(
        queryset=None,
        label=_("Campaign"),
        required=False,
        help_text=_(
            "Files the document under a campaign (for its archive) when its source names none."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.templates_for(user)
        self.fields["unit"].queryset = unit_choices(user)
        self.fields["campaign"].queryset = campaigns.campaigns_for(user)


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "mark",
            "title",
            "addressee",
            "body",
            "attachments",
            "signature",
            "cc",
            "printed_by",
            "public",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "attachments": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "body": _("One paragraph per line; 一、 and （一） lines become headings."),
            "attachments": _("One attachment name per line."),
        }


class TemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["name", "title", "addressee", "body", "attachments", "cc", "number_format",
                  "chinese_date"]  # fmt: skip
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "attachments": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "body": _(
                "Placeholders in braces, e.g. {campaign}, are filled from the source record."
            ),
            "number_format": _(
                "{prefix}: the unit's number prefix; {year}; {seq}: the running number."
            ),
        }


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ArchiveForm(forms.Form):
    campaign = forms.ModelChoiceField(queryset=None, label=_("Campaign"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns.campaigns_for(user)
