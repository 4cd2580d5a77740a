"""Every form's finishing touches: empty choices that say what they mean, date pickers, a
search box on unit selects, a required category that is not preselected."""

import pytest
from django import forms

from xiaoneng.complaints.filters import ComplaintFilter
from xiaoneng.complaints.forms import ComplaintRegisterForm
from xiaoneng.complaints.models import Complaint
from xiaoneng.core.formtools import polish
from xiaoneng.core.models import Unit

pytestmark = pytest.mark.django_db


class EntryForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.all())
    optional_unit = forms.ModelChoiceField(Unit.objects.all(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    on = forms.DateField(required=False)


def test_an_entry_form_asks_to_choose_and_offers_none_for_optional_fields(org):
    html = str(polish(EntryForm()))
    assert "---------" not in html
    assert ">请选择…<" in html
    assert ">无<" in html
    assert 'type="date"' in html
    assert "data-searchable" in html


def test_a_filter_form_offers_all(rf, org):
    request = rf.get("/")
    request.user = org.alice
    filterset = ComplaintFilter({}, queryset=Complaint.objects.none(), request=request)
    html = str(polish(filterset.form))
    assert "---------" not in html
    assert ">全部<" in html


def test_the_required_category_of_a_new_complaint_is_not_preselected(org):
    form = ComplaintRegisterForm()
    html = str(form["category"])
    assert '<option value="" selected>请选择…</option>' in html
