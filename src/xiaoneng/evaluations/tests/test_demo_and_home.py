"""The demo evaluations (loaded with the demo county, once) and the work-home providers."""

from __future__ import annotations

import pytest

from xiaoneng.core import clock, workhome
from xiaoneng.core.demo import load_demo_county
from xiaoneng.evaluations import demo
from xiaoneng.evaluations.models import Consequence, EthicsFile, EvaluationRound, Response, Survey

from .test_rounds import ranking_round

pytestmark = pytest.mark.django_db


def test_it_loads_the_demo_evaluations_once():
    assert load_demo_county() is True
    survey = Survey.objects.get()
    assert survey.is_published
    assert Response.objects.values("unit").distinct().count() >= 5
    unit_round = EvaluationRound.objects.get(subject_kind="unit", status="closed")
    bottom = Consequence.objects.filter(round=unit_round, measure="rectification")
    assert bottom.count() == 3 and bottom.filter(subject__unit__code="QS-WSY02").exists()
    second = Consequence.objects.filter(
        source="ladder", consecutive=2, subject__person__isnull=False
    )
    assert second.get().measure == "admonishing_talk"
    assert second.get().reason.startswith("连续2次")  # kept in Chinese
    files = EthicsFile.objects.filter(unit__code="QS-RMYY")
    assert files.exists() and files.filter(grade="poor", vetoes__isnull=False).exists()
    count = Response.objects.count()
    assert demo.load_demo(now=clock.now()) == 0
    assert Response.objects.count() == count


def test_the_work_home_lists_consequences_to_confirm_for_the_office_only(org):
    ranking_round(org)
    office = {w.key: w for w in workhome.collect(org.alice)}
    assert office["evaluations.consequences"].count == Consequence.objects.count()
    unit = {w.key for w in workhome.collect(org.bob)}
    assert "evaluations.consequences" not in unit
