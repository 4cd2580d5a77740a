"""Satisfaction-survey writes: questionnaires, link batches, anonymous answers, publication.

Rules (issue #15; seed 003 五个一 monthly satisfaction survey; PRODUCT.md 14): every survey asks
the standard question 满意/基本满意/不满意; a one-time link answers once (a second use is a 409
with a clear message); answers after the close date are refused; an answer sheet keeps the
unit and department of its link, never the token, the IP or anything about the person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, NotFound
from xiaoneng.core.models import Department, Unit, User

from ..models import Answer, Question, Response, Survey, SurveyToken, TokenBatch
from ..vocab import Channel, QuestionKind, Satisfaction, SurveyStatus
from ..workflow import SURVEY
from .common import fail, new_token, require, require_unit

MAX_BATCH = 2000
STANDARD_QUESTION = "您对本次就医（办事）服务的总体评价是？"
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def _clean_questions(questions: Sequence[Mapping[str, Any]], errors: dict) -> list[dict]:
    cleaned = []
    for i, q in enumerate(questions, start=1):
        kind = q.get("kind")
        text = str(q.get("text") or "").strip()
        options = [str(o).strip() for o in (q.get("options") or []) if str(o).strip()]
        if kind not in QuestionKind.values:
            errors.setdefault("questions", []).append(
                _("Question %(n)s: select a valid type.") % {"n": i}
            )
            continue
        if not text:
            errors.setdefault("questions", []).append(
                _("Question %(n)s: the question text is required.") % {"n": i}
            )
        if kind in CHOICE_KINDS and len(options) < 2:
            errors.setdefault("questions", []).append(
                _("Question %(n)s: give at least two options.") % {"n": i}
            )
        cleaned.append(
            {
                "kind": kind,
                "text": text[:300],
                "options": options if kind in CHOICE_KINDS else [],
                "required": bool(q.get("required", True)),
            }
        )
    if sum(1 for q in cleaned if q["kind"] == QuestionKind.SATISFACTION) > 1:
        errors.setdefault("questions", []).append(_("Ask the standard question only once."))
    return cleaned


@transaction.atomic
def survey_create(
    *,
    actor: User,
    title: str,
    units: Iterable[Unit],
    opens_at: datetime,
    closes_at: datetime,
    questions: Sequence[Mapping[str, Any]] = (),
    intro: str = "",
) -> Survey:
    """A questionnaire; the standard question 满意/基本满意/不满意 is added first when missing."""
    require(actor, "evaluation.manage")
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    units = [u for u in units if u is not None]
    if not units:
        errors["units"] = [_("Select at least one unit.")]
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = [_("The close date must be after the opening date.")]
    cleaned = _clean_questions(questions, errors)
    fail(errors)
    if not any(q["kind"] == QuestionKind.SATISFACTION for q in cleaned):
        cleaned.insert(
            0,
            {"kind": QuestionKind.SATISFACTION, "text": STANDARD_QUESTION, "options": []}
            | {"required": True},
        )
    survey = Survey.objects.create(
        title=title[:200],
        intro=intro or "",
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
        created_at=clock.now(),
    )
    survey.units.set(units)
    Question.objects.bulk_create(
        [Question(survey=survey, order=i, **q) for i, q in enumerate(cleaned, start=1)]
    )
    audit.record("create", survey, after=audit.snapshot(survey), actor=actor)
    return survey


def _move(survey: Survey, actor: User, name: str, **changes) -> Survey:
    before = audit.snapshot(survey)
    SURVEY.apply(survey, name, **changes)
    audit.record(name, survey, before=before, after=audit.snapshot(survey), actor=actor)
    return survey


@transaction.atomic
def survey_open(*, actor: User, survey: Survey) -> Survey:
    require(actor, "evaluation.manage")
    return _move(survey, actor, "open")


@transaction.atomic
def survey_close(*, actor: User, survey: Survey) -> Survey:
    """Closing early also moves the close date to now: later answers are refused."""
    require(actor, "evaluation.manage")
    now = clock.now()
    return _move(survey, actor, "close", closes_at=min(survey.closes_at, now))


@transaction.atomic
def survey_publish(*, actor: User, survey: Survey, public: bool = True) -> Survey:
    """The office publishes the rates to the public site (公示), or withdraws them."""
    require(actor, "evaluation.manage")
    if public and survey.status == SurveyStatus.DRAFT:
        raise Conflict(_("A survey that has not been opened has no rates to publish."))
    before = audit.snapshot(survey)
    survey.is_published = public
    survey.published_at = clock.now() if public else None
    survey.save(update_fields=["is_published", "published_at"])
    action = "publish" if public else "unpublish"
    audit.record(action, survey, before=before, after=audit.snapshot(survey), actor=actor)
    return survey


@transaction.atomic
def batch_create(
    *,
    actor: User,
    survey: Survey,
    unit: Unit,
    size: int = 1,
    department: Department | None = None,
    channel: str = Channel.TOKEN,
    label: str = "",
) -> TokenBatch:
    """N one-time links for a unit or department (printed as QR codes), or one open link.

    The office issues them for every unit; a unit (survey.distribute) for itself."""
    if actor is None or not actor.has_permission("evaluation.manage"):
        require(actor, "survey.distribute")
        require_unit(actor, unit)
    else:
        require(actor, "evaluation.manage")
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Select a valid choice.")]
    if channel == Channel.OPEN_LINK:
        size = 1
    if not isinstance(size, int) or not 1 <= size <= MAX_BATCH:
        errors["size"] = [_("Give a number from 1 to %(max)s.") % {"max": MAX_BATCH}]
    if not survey.units.filter(pk=unit.pk).exists():
        errors["unit"] = [_("This unit is not surveyed by this questionnaire.")]
    if department is not None and department.unit_id != unit.pk:
        errors["department"] = [_("This department does not belong to the unit.")]
    fail(errors)
    if survey.status == SurveyStatus.CLOSED:
        raise Conflict(_("The survey is closed; no more links can be issued."))
    batch = TokenBatch.objects.create(
        survey=survey,
        unit=unit,
        department=department,
        channel=channel,
        size=size,
        label=(label or "")[:100],
        created_by=actor,
        created_at=clock.now(),
    )
    reusable = channel == Channel.OPEN_LINK
    SurveyToken.objects.bulk_create(
        [SurveyToken(batch=batch, token=new_token(), reusable=reusable) for _i in range(size)]
    )
    audit.record("create", batch, after=audit.snapshot(batch), actor=actor)
    return batch


def token_lookup(token: str) -> SurveyToken:
    """The link behind a public token (unknown → 404)."""
    found = (
        SurveyToken.objects.select_related("batch__survey", "batch__unit", "batch__department")
        .filter(token=str(token or "")[:32])
        .first()
    )
    if found is None:
        raise NotFound(_("This survey link does not exist. Check the link or scan the code again."))
    return found


def answer_refusal(link: SurveyToken, now: datetime | None = None) -> str:
    """Why this link cannot answer now ("" when it can): used, not open yet, closed."""
    now = now or clock.now()
    survey = link.batch.survey
    if not link.reusable and link.used_at is not None:
        return _("This link has already been used to answer; each link answers only once.")
    if survey.status == SurveyStatus.CLOSED or now > survey.closes_at:
        return _("This survey closed on %(date)s; answers are no longer accepted.") % {
            "date": timezone.localtime(survey.closes_at).strftime("%Y-%m-%d %H:%M")
        }
    if survey.status == SurveyStatus.DRAFT or now < survey.opens_at:
        return _("This survey has not opened yet.")
    return ""


def _clean_answer(question: Question, value, errors: dict) -> dict | None:
    key = f"q{question.pk}"
    values = [c for c, _label in question.choices()]
    empty = value in (None, "", [])
    if empty:
        if question.required:
            errors[key] = [_("Please answer this question.")]
        return None
    if question.kind == QuestionKind.TEXT:
        return {"text": str(value).strip()[:2000]}
    if question.kind == QuestionKind.MULTIPLE:
        picked = [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        if any(v not in values for v in picked):
            errors[key] = [_("Select a valid choice.")]
            return None
        return {"choices": sorted(set(picked), key=values.index)}
    text = str(value[0] if isinstance(value, list | tuple) and value else value)
    if text not in values:
        errors[key] = [_("Select a valid choice.")]
        return None
    if question.kind == QuestionKind.SCALE:
        return {"scale": int(text)}
    return {"choices": [text]}


@transaction.atomic
def response_submit(*, token: str, answers: Mapping[Any, Any]) -> Response:
    """An anonymous answer through a public link. ``answers`` maps question id → value (a choice
    value, a list for multiple choice, 1–5 for the scale, text). Validated whole before the
    link is spent; the one-time link is claimed with a conditional UPDATE, so of two
    concurrent answers with one link exactly one is stored and the other gets 409."""
    link = token_lookup(token)
    now = clock.now()
    refusal = answer_refusal(link, now)
    if refusal:
        raise Conflict(refusal)
    survey = link.batch.survey
    given = {str(k).removeprefix("q"): v for k, v in (answers or {}).items()}
    errors: dict[str, list[str]] = {}
    rows = []
    satisfaction = ""
    for question in survey.questions.all():
        cleaned = _clean_answer(question, given.get(str(question.pk)), errors)
        if cleaned is None:
            continue
        rows.append((question, cleaned))
        if question.kind == QuestionKind.SATISFACTION:
            satisfaction = cleaned["choices"][0]
    fail(errors)
    if not link.reusable:
        claimed = SurveyToken.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
        if claimed != 1:
            raise Conflict(
                _("This link has already been used to answer; each link answers only once.")
            )
    batch = link.batch
    response = Response.objects.create(
        survey=survey,
        unit=batch.unit,
        department=batch.department,
        channel=batch.channel,
        submitted_at=now,
        satisfaction=satisfaction if satisfaction in Satisfaction.values else "",
    )
    Answer.objects.bulk_create([Answer(response=response, question=q, **c) for q, c in rows])
    # No audit record: it would keep the request's IP next to the sheet. The sheet itself is
    # the record (append-only, no token, no IP, no account).
    return response


def close_due(*, now: datetime | None = None) -> int:
    """Close the open surveys whose close date has passed (answers are refused from the close
    date on in any case; this keeps the status honest). Idempotent; returns how many closed."""
    now = now or clock.now()
    closed = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, closes_at__lt=now):
        with transaction.atomic():
            before = audit.snapshot(survey)
            try:
                SURVEY.apply(survey, "close")
            except Conflict:
                continue  # closed by hand meanwhile
            audit.record("close", survey, before=before, after=audit.snapshot(survey), actor=None,
                         reason="close date passed")  # fmt: skip
            closed += 1
    return closed
