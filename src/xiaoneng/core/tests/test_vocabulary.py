"""The audit page's words for stored values: field names and choice codes resolved through the
record's model (or a model it links to), JSON parts named, yes/no, source references."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from xiaoneng.core import audit
from xiaoneng.core.vocabulary import action_label, display_value, field_label


def test_a_related_models_choice_is_shown_as_its_label():
    with translation.override("zh-hans"):
        # subject_update records a case's Subject: role lives on the subject, not the case
        assert display_value("accountability.case", "role", "principal") == "主要负责人"
        assert field_label("accountability.case", "measure_note") != "measure_note"
        assert display_value("accountability.case", "action", "serve") == "决定已送达"


def test_json_values_are_named_not_dumped():
    stats = {"findings": 4, "by_severity": {"serious": 1}, "units": [{"unit": "甲院", "count": 3}]}
    with translation.override("zh-hans"):
        shown = display_value("inspections.bulletin", "stats", stats)
    assert "{" not in shown and "serious" not in shown and "by_severity" not in shown
    assert "较重" in shown and "甲院" in shown and "数量：3" in shown


def test_yes_no_source_references_and_fields_without_a_verbose_name():
    with translation.override("zh-hans"):
        assert display_value("rectification.rectificationitem", "result", True) == "是"
        assert display_value("rectification.issue", "source_ref", "inspection.finding:4") == (
            "明查暗访发现 #4"
        )
        assert field_label("accountability.nomination", "nominated_by") == "推荐人"
        assert action_label("approve") == "已批准"
    with translation.override("en"):
        assert field_label("accountability.nomination", "nominated_by") == "Nominated by"


def test_stored_instants_are_shown_in_local_time():
    shown = display_value("complaints.complaint", "received_at", "2026-12-02T12:42:38.074914+00:00")
    assert shown == "2026-12-02 20:42"  # Asia/Shanghai, to the minute


@pytest.mark.django_db
def test_the_audit_page_names_linked_rows_not_their_ids(client, org):
    audit.record("update", org.dept_a1, before={"unit": org.unit_b.pk}, after={"unit": org.unit_a.pk},
                 actor=org.alice)  # fmt: skip
    client.force_login(org.alice)
    page = client.get(reverse("org:audit"), {"object_type": "core.department"})
    html = page.content.decode()
    assert org.unit_a.name in html and org.unit_b.name in html
