"""Forms of the public site: the complaint / report form, tracking and rating."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from xiaoneng.complaints.vocab import Satisfaction, Type
from xiaoneng.core.files import PUBLIC_ALLOWED, max_bytes, sniff
from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.models import Department, Unit
from xiaoneng.core.widgets import FastSelect

from . import captcha, selectors
from .services import MAX_FILES

MAX_CONTENT = 10000
SNIFF_BYTES = 8192


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class UnitField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name


def check_attachments(files: list) -> list[str]:
    """Count, size and kind (by content, not by name) of the files, before anything is stored."""
    errors = []
    if len(files) > MAX_FILES:
        errors.append(str(_("Attach at most %(n)s files.")) % {"n": MAX_FILES})
        return errors
    limit = max_bytes()
    for upload in files:
        if upload.size > limit:
            errors.append(
                str(_("%(name)s is larger than %(size)s."))
                % {"name": upload.name, "size": filesizeformat(limit)}
            )
            continue
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        if sniff(head) not in PUBLIC_ALLOWED:
            errors.append(
                str(
                    _(
                        "%(name)s: this kind of file is not accepted. Attach images, PDF, audio or video."
                    )
                )
                % {"name": upload.name}
            )
    return errors


class SubmitForm(forms.Form):
    type = forms.ChoiceField(
        label=_("I want to"),
        choices=[
            (Type.COMPLAINT, _("Complain")),
            (Type.REPORT, _("Report wrongdoing")),
            (Type.SUGGESTION, _("Make a suggestion")),
        ],
        initial=Type.COMPLAINT,
        widget=forms.RadioSelect,
    )
    category = forms.ModelChoiceField(
        label=_("What is it about"),
        queryset=selectors.active_categories(),
        to_field_name="code",
        empty_label=_("— choose —"),
    )
    unit = UnitField(
        label=_("Unit"),
        queryset=selectors.active_units(),
        empty_label=_("— choose —"),
        help_text=_("Type part of the name to find the unit."),
    )
    department = DepartmentField(
        label=_("Department (if you know it)"),
        queryset=selectors.active_departments(),
        required=False,
        empty_label=_("— not sure —"),
    )
    title = forms.CharField(label=_("Subject (optional)"), max_length=200, required=False)
    content = forms.CharField(
        label=_("What happened"),
        max_length=MAX_CONTENT,
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When, where, who and what happened; what you would like to be done."),
    )
    attachments = MultipleFileField(
        label=_("Photos, recordings or documents (optional)"),
        required=False,
        help_text=_("At most 5 files: images, PDF, audio or video, up to 20 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf,audio/*,video/*"}),
    )
    anonymous = forms.BooleanField(label=_("Complain anonymously"), required=False)
    name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("We call you back on this number; its last 4 digits let you track the case."),
    )
    consent_publish = forms.BooleanField(
        label=_("I agree that the case may be published without my personal details"),
        required=False,
    )
    captcha = forms.CharField(
        label=_("Answer the question in the picture"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["department"].queryset = selectors.active_departments()
        self.fields["attachments"].widget.attrs["data-too-many"] = str(
            _("Attach at most %(n)s files.")
        ) % {"n": MAX_FILES}
        bootstrap(self)

    def department_groups(self):
        """Departments grouped by unit for the <optgroup>s (the script shows the chosen unit's)."""
        groups: dict[int, tuple[str, list]] = {}
        for dept in self.fields["department"].queryset:
            groups.setdefault(dept.unit_id, (dept.unit.name, []))[1].append(dept)
        return [(unit_id, name, depts) for unit_id, (name, depts) in groups.items()]

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = check_attachments(files)
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_captcha(self):
        answer = self.cleaned_data.get("captcha", "")
        if self.request is None or not captcha.check(self.request, answer):
            raise forms.ValidationError(
                _(
                    "The answer to the question in the picture is wrong or has expired. Try the new picture."
                )
            )
        return answer

    def clean(self):
        cleaned = super().clean()
        unit, department = cleaned.get("unit"), cleaned.get("department")
        if unit and department and department.unit_id != unit.pk:
            self.add_error("department", _("This department does not belong to the unit."))
        if cleaned.get("anonymous"):
            cleaned["name"], cleaned["phone"] = "", ""
        else:
            if not (cleaned.get("name") or "").strip():
                self.add_error("name", _("Give your name, or choose to complain anonymously."))
            if not (cleaned.get("phone") or "").strip():
                self.add_error(
                    "phone", _("Give a phone number, or choose to complain anonymously.")
                )
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of your phone"),
        max_length=4,
        required=False,
        help_text=_("Only if you gave a phone number; leave empty for anonymous cases."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper().replace(" ", "")

    def clean_phone_last4(self):
        value = (self.cleaned_data.get("phone_last4") or "").strip()
        if value and (len(value) != 4 or not value.isdigit()):
            raise forms.ValidationError(_("Enter the last 4 digits."))
        return value


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    redo = forms.BooleanField(
        label=_("I am not satisfied: please handle my case again"), required=False
    )
    rating_key = forms.CharField(
        label=_("Rating key"),
        max_length=20,
        required=False,
        help_text=_("The 8-character rating key printed on your receipt under the tracking code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, needs_key: bool = False, **kwargs):
        """``needs_key``: this visitor has not shown a second complainant secret yet (the
        rating key, or the phone digits of a named case), so the form asks for the key."""
        super().__init__(*args, **kwargs)
        if needs_key:
            self.fields["rating_key"].required = True
        else:
            del self.fields["rating_key"]
        bootstrap(self)
