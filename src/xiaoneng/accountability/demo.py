"""Demo accountability for the demo county, driven through the real services: a spot check that
finds false rectification opens a case (一案双查) now waiting for the leader's approval, a
served and closed case against the TCM hospital, the year's assessment computed, and two
nominations (one blocked by the open case).

Hook: ``load_demo(now=...)`` after the ledger demo (it samples a closed ledger item); does
nothing when cases already exist.
"""

from __future__ import annotations

from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.models import Unit, User
from xiaoneng.rectification import spotchecks
from xiaoneng.rectification.models import RectificationItem

from .models import Case, Measure
from .services import assessment, awards, cases


def load_demo(*, now=None) -> int:
    if Case.objects.exists():
        return 0
    office = User.objects.get(username="office")
    leader = User.objects.get(username="leader")
    hospital = Unit.objects.get(code="QS-RMYY")
    tcm = Unit.objects.get(code="QS-ZYYY")
    measures = {m.code: m for m in Measure.objects.all()}
    count = 0

    # A failed spot check of a closed ledger item of the county hospital → a case.
    item = (
        RectificationItem.objects.filter(responsible_unit=hospital, status="closed")
        .order_by("pk")
        .first()
    )
    if item is not None:
        check = spotchecks.spot_check_draw(actor=office, count=1, unit=hospital, seed=20261)
        sampled = check.results.select_related("item").first().item
        # 一案双查 needs someone directly responsible in a department with its leaders.
        department = hospital.departments.filter(head__isnull=False).order_by("pk").first()
        if department is not None:
            member = department.members.exclude(pk=department.head_id).order_by("pk").first()
            RectificationItem.objects.filter(pk=sampled.pk).update(
                responsible_department=department, responsible_person=member or department.head
            )
            sampled.refresh_from_db()
        spotchecks.spot_check_result(
            actor=office,
            spot_check=check,
            item=sampled,
            result="false",
            note="现场核查发现导诊台仍无人值守，整改材料为补拍照片。",
        )
        case = Case.objects.get(item=sampled)
        case.fast_track = False
        cases.transition(case, "review", actor=office, note="调取值班表和监控记录。")
        cases.transition(case, "file", actor=office)
        cases.transition(case, "investigate", actor=office)
        for subject in case.subjects.all():
            direct = subject.role == "direct"
            cases.subject_update(
                subject=subject,
                actor=office,
                finding="未落实整改措施，以补拍照片应付销号。"
                if direct
                else "对整改落实情况督促检查不力。",
                measure=measures["circulated_criticism" if direct else "reminder_talk"],
            )
        cases.transition(
            case,
            "propose",
            actor=office,
            note="对直接责任人通报批评，对分管领导提醒谈话，限期重新整改。",
        )
        count += 1

    # A manual case against the TCM hospital, decided, served and closed.
    case = cases.case_create(
        actor=office,
        title="挂号窗口工作人员上班时间玩手机、推诿患者",
        summary="群众反映并经暗访核实：挂号窗口工作人员上班时间玩手机，对患者询问不予理睬。",
        unit=tcm,
        fast_track=True,
    )
    for subject in case.subjects.all():
        cases.subject_update(
            subject=subject,
            actor=office,
            finding="负有领导责任，对窗口作风问题失察。",
            measure=measures["admonition_talk"],
        )
    cases.transition(case, "propose", actor=office, note="对主要领导诫勉谈话。")
    cases.transition(
        case, "approve", actor=leader, note="同意。对主要领导诫勉谈话，责令窗口限期整改。"
    )
    cases.transition(case, "serve", actor=office)
    cases.transition(case, "close", actor=office, appeal_waived=True, note="当事人表示不申诉。")
    count += 1

    year = timezone.localtime(now or clock.now()).year
    scheme = assessment.scheme_create(actor=office, year=year)
    assessment.compute(scheme=scheme, actor=office)
    awards.nominate(
        actor=office, year=year, award="优秀服务窗口", unit=hospital, reason="门诊一站式服务中心"
    )
    awards.nominate(
        actor=office, year=year, award="行风建设先进单位", unit=Unit.objects.get(code="QS-FYBJY")
    )
    return count
