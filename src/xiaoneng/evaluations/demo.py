"""Demo evaluations for the demo county, driven through the real services:

- this month's patient satisfaction survey for the county's hospitals and health centres, with
  one-time links per unit (and per department at the people's hospital), answers spread over
  the last weeks and the rates published;
- a finished 政风行风民主评议 of the units (ranking, top three praised, bottom three proposed for
  诫勉谈话 + 限期整改, waiting for the office to confirm);
- two finished rounds of the department heads of the people's hospital, one head 差 in both (the
  second round proposes 诫勉谈话), and an open round for the next quarter;
- medical-ethics files of the people's hospital for this year, some evaluated and graded, one
  forced to 较差 by a veto item.
Hook: ``load_demo(now=...)``; does nothing when a survey already exists.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.models import Department, Person, Unit, User

from .models import EthicsFile, Survey, VetoItem
from .services import ethics as ethics_services
from .services import rounds as round_services
from .services import surveys as survey_services

SEED = 20261
GROUPS = [("服务对象", 40), ("行风监督员", 30), ("同级互评", 30)]
SURVEY_UNITS = ("QS-RMYY", "QS-ZYYY", "QS-FYBJY", "QS-WSY01", "QS-WSY02", "QS-SQ01")
ROUND_UNITS = (
    "QS-RMYY",
    "QS-ZYYY",
    "QS-FYBJY",
    "QS-CDC",
    "QS-WSJD",
    "QS-120",
    "QS-WSY01",
    "QS-WSY02",
)
# share of 满意 / 基本满意 / 不满意 per unit in the survey, and the unit round's ballots
MOOD = {
    "QS-RMYY": (0.62, 0.28, 0.10),
    "QS-ZYYY": (0.70, 0.22, 0.08),
    "QS-FYBJY": (0.75, 0.20, 0.05),
    "QS-CDC": (0.55, 0.35, 0.10),
    "QS-WSJD": (0.50, 0.35, 0.15),
    "QS-120": (0.45, 0.35, 0.20),
    "QS-WSY01": (0.40, 0.35, 0.25),
    "QS-WSY02": (0.20, 0.30, 0.50),  # the one in the bottom three everyone remembers
    "QS-SQ01": (0.66, 0.26, 0.08),
}
RATINGS = ("satisfied", "basically_satisfied", "unsatisfied")


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _pick(rng: random.Random, mood) -> str:
    return rng.choices(RATINGS, weights=mood)[0]


def _survey(office: User, units: dict[str, Unit], now: dt.datetime, rng: random.Random) -> Survey:
    start = now - dt.timedelta(days=20)
    survey = survey_services.survey_create(
        actor=office,
        title=f"{timezone.localtime(now):%Y年%m月}患者满意度调查",
        intro="为持续改进医疗服务，请您对本次就医体验作出评价。本问卷匿名填写，约需1分钟。",
        units=[units[c] for c in SURVEY_UNITS if c in units],
        opens_at=start,
        closes_at=now + dt.timedelta(days=10),
        questions=[
            {"kind": "scale", "text": "您对候诊时间的评价（1–5分）"},
            {"kind": "multiple", "text": "您认为哪些方面需要改进？", "options": ["挂号缴费", "候诊时间", "服务态度", "就医环境", "收费透明"], "required": False},
            {"kind": "text", "text": "您的意见和建议", "required": False},
        ],
    )  # fmt: skip
    survey_services.survey_open(actor=office, survey=survey)
    questions = {q.kind: q for q in survey.questions.all()}
    for code in SURVEY_UNITS:
        unit = units.get(code)
        if unit is None:
            continue
        batches = [survey_services.batch_create(actor=office, survey=survey, unit=unit, size=30)]
        if code == "QS-RMYY":
            for dept in Department.objects.filter(unit=unit, kind="clinical").order_by(
                "sort_order", "id"
            )[:3]:
                batches.append(survey_services.batch_create(actor=office, survey=survey, unit=unit, department=dept, size=20))  # fmt: skip
        for batch in batches:
            for link in batch.tokens.order_by("id")[: rng.randint(batch.size // 2, batch.size - 2)]:
                when = start + dt.timedelta(hours=rng.randint(2, 19 * 24))
                rating = _pick(rng, MOOD[code])
                answers = {
                    str(questions["satisfaction"].pk): rating,
                    str(questions["scale"].pk): {"satisfied": 5, "basically_satisfied": 4}.get(rating, 2),
                    str(questions["multiple"].pk): [str(rng.randint(0, 4))],
                    str(questions["text"].pk): "希望缩短候诊时间" if rating == "unsatisfied" else "",
                }  # fmt: skip
                with clock.frozen_now(when):
                    survey_services.response_submit(token=link.token, answers=answers)
    survey_services.survey_publish(actor=office, survey=survey)
    return survey


def _vote(office, made, ratings_for, rng: random.Random, voters: int = 6) -> None:
    round_services.round_open(actor=office, round=made)
    subjects = list(made.subjects.select_related("unit", "person"))
    for group in made.groups.all():
        for link in round_services.tokens_create(
            actor=office, round=made, group=group, count=voters
        ):
            marks = {str(s.pk): _pick(rng, ratings_for(s)) for s in subjects}
            round_services.ballot_submit(token=link.token, marks=marks)


def _rounds(office: User, units: dict[str, Unit], today: dt.date, rng: random.Random) -> int:
    made = round_services.round_create(
        actor=office, title=f"{today.year}年度政风行风民主评议", series="政风行风民主评议",
        subject_kind="unit", period_label=f"{today.year}年度",
        starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=5), groups=GROUPS,
        units=[units[c] for c in ROUND_UNITS if c in units],
    )  # fmt: skip
    _vote(office, made, lambda s: MOOD.get(s.unit.code, (0.5, 0.3, 0.2)), rng, voters=8)
    round_services.round_close(actor=office, round=made)
    count = 1
    hospital = units.get("QS-RMYY")
    if hospital is None:
        return count
    heads = list(
        Person.objects.filter(head_of__unit=hospital, head_of__kind="clinical")
        .distinct()
        .order_by("id")[:5]
    )
    if len(heads) < 2:
        return count
    poor = heads[1]  # 不满意 (差) twice in a row: the second round proposes 诫勉谈话

    def mood(s):
        return (0.05, 0.15, 0.80) if s.person_id == poor.pk else (0.65, 0.30, 0.05)

    people = [(p, f"{p.head_of.first().name}负责人") for p in heads]
    for n, (first, last) in enumerate(((150, 100), (80, 10)), start=1):
        quarter = round_services.round_create(
            actor=office, title=f"科室负责人民主评议（第{n}次）", series="县人民医院科室负责人民主评议",
            subject_kind="person", period_label=f"第{n}次", starts_on=today - dt.timedelta(days=first),
            ends_on=today - dt.timedelta(days=last), groups=GROUPS, people=people, apply_ranking=False,
        )  # fmt: skip
        _vote(office, quarter, mood, rng)
        round_services.round_close(actor=office, round=quarter)
        count += 1
    upcoming = round_services.round_create(
        actor=office, title="科室负责人民主评议（第3次）", series="县人民医院科室负责人民主评议",
        subject_kind="person", period_label="第3次", starts_on=today, ends_on=today + dt.timedelta(days=30),
        groups=GROUPS, people=people, apply_ranking=False,
    )  # fmt: skip
    round_services.round_open(actor=office, round=upcoming)
    return count + 1


def _ethics(unit: Unit, reviewer: User, year: int, rng: random.Random) -> int:
    opened = ethics_services.files_open_for_unit(actor=reviewer, unit=unit, year=year)
    files = list(
        EthicsFile.objects.filter(unit=unit, year=year).select_related("person").order_by("id")[:12]
    )
    veto = VetoItem.objects.filter(code="red_envelope").first()
    for i, file in enumerate(files):
        base = rng.randint(72, 98)
        file.self_text, file.self_score, file.self_at = (
            "遵守九项准则，热情服务患者，无违规行为。",
            min(base + 3, 100),
            file.created_at,
        )
        file.save(update_fields=["self_text", "self_score", "self_at"])
        ethics_services.file_evaluate(actor=reviewer, file=file, stage="department", text="工作认真，医患沟通良好。", score=base)  # fmt: skip
        if i >= 9:
            continue  # a few wait for the unit's evaluation
        ethics_services.file_evaluate(actor=reviewer, file=file, stage="unit", text="同意科室意见。", score=base)  # fmt: skip
        if i == 0 and veto is not None:
            ethics_services.file_grade(actor=reviewer, file=file, grade="good", vetoes=[veto], veto_note="经查实收受患者家属红包800元，已退还并通报。")  # fmt: skip
        elif i < 7:
            ethics_services.file_grade(actor=reviewer, file=file)
    return opened


def load_demo(*, now: dt.datetime) -> int:
    """Create the demo evaluations (once); returns the number of surveys, rounds and files."""
    office = _user("office")
    if office is None or Survey.objects.exists():
        return 0
    rng = random.Random(SEED)
    units = {u.code: u for u in Unit.objects.filter(code__in=set(SURVEY_UNITS) | set(ROUND_UNITS))}
    with clock.frozen_now(now):
        survey = _survey(office, units, now, rng)
        rounds = _rounds(office, units, timezone.localdate(now), rng)
        reviewer = _user("hosp1") or office
        files = (
            _ethics(units["QS-RMYY"], reviewer, timezone.localdate(now).year, rng)
            if "QS-RMYY" in units
            else 0
        )
    return 1 + rounds + files if survey else 0
