"""The fast selects render what Django's own Select and SelectMultiple render."""

from __future__ import annotations

import re

from django import forms

from xiaoneng.core.widgets import FastSelect, FastSelectMultiple

CHOICES = [("", "---------"), (1, "甲医院 <总院>"), (2, "乙医院"), ("组", [(3, "丙"), (4, "丁")])]


def squash(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_a_single_select_matches_django():
    attrs = {"class": "form-select", "id": "id_unit", "required": True, "disabled": False}
    ours = FastSelect(choices=CHOICES).render("unit", 2, attrs)
    django = forms.Select(choices=CHOICES).render("unit", 2, attrs)
    assert squash(ours) == squash(django)
    assert '<option value="2" selected>乙医院</option>' in ours
    assert "甲医院 &lt;总院&gt;" in ours


def test_a_multiple_select_matches_django():
    ours = FastSelectMultiple(choices=CHOICES).render("units", [1, 4], {"id": "id_units"})
    django = forms.SelectMultiple(choices=CHOICES).render("units", [1, 4], {"id": "id_units"})
    assert squash(ours) == squash(django)
    assert " multiple" in ours and ours.count(" selected") == 2


def test_unit_fields_render_the_indented_tree_without_loading_unit_objects(
    org, django_assert_num_queries
):
    import pytest

    from xiaoneng.core.forms_org import UnitChoiceField, UnitMultipleChoiceField
    from xiaoneng.core.models import Unit

    units = Unit.objects.order_by("path")

    class Slow(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{'　' * obj.depth}{obj.name}"

    class Form(forms.Form):
        fast = UnitChoiceField(queryset=units)
        slow = Slow(queryset=units)
        many = UnitMultipleChoiceField(queryset=units)

    chosen = org.unit_b
    form = Form(initial={"fast": chosen.pk, "slow": chosen.pk, "many": [org.unit_a.pk, chosen.pk]})
    with django_assert_num_queries(1):
        fast = str(form["fast"])
    slow = str(form["slow"]).replace('name="slow"', 'name="fast"').replace("id_slow", "id_fast")
    assert squash(fast) == squash(slow)
    assert f'<option value="{chosen.pk}" selected>' in fast
    assert "　" + org.unit_a.name in fast or org.unit_a.depth == 0
    many = str(form["many"])
    assert many.count(" selected") == 2 and " multiple" in many
    with pytest.raises(forms.ValidationError):
        Form.base_fields["fast"].clean("999999")
    assert Form.base_fields["fast"].clean(str(chosen.pk)) == chosen
