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
