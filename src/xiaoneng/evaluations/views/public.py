"""Public pages (no login, phone-first): answer a survey through a QR link, vote through a
ballot link, and the published satisfaction rates."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.core.errors import Conflict, NotFound, ValidationFailed
from xiaoneng.core.ratelimit import ratelimit

from .. import rates, selectors
from ..services import rounds as round_services
from ..services import surveys as services
from ..vocab import QuestionKind


def _given(post, questions) -> dict:
    answers = {}
    for q in questions:
        name = f"q{q.pk}"
        answers[str(q.pk)] = (
            post.getlist(name) if q.kind == QuestionKind.MULTIPLE else post.get(name, "")
        )
    return answers


@ratelimit("public_survey", methods=("POST",))
def answer(request, token):
    try:
        link = services.token_lookup(token)
    except NotFound as exc:
        return render(
            request, "evaluations/public/message.html", {"message": exc.detail}, status=404
        )
    survey = link.batch.survey
    questions = list(survey.questions.all())
    errors: dict = {}
    given: dict = {}
    if request.method == "POST":
        given = _given(request.POST, questions)
        try:
            services.response_submit(token=token, answers=given)
        except Conflict as exc:
            return render(
                request,
                "evaluations/public/message.html",
                {"message": exc.detail, "survey": survey},
                status=409,
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            return render(
                request,
                "evaluations/public/message.html",
                {
                    "message": _("Thank you. Your answer has been recorded anonymously."),
                    "survey": survey,
                    "done": True,
                },
            )
    refusal = services.answer_refusal(link)
    if refusal:
        return render(
            request,
            "evaluations/public/message.html",
            {"message": refusal, "survey": survey},
            status=409 if request.method == "POST" else 200,
        )
    rows = [
        {
            "q": q,
            "name": f"q{q.pk}",
            "choices": q.choices(),
            "error": (errors.get(f"q{q.pk}") or [""])[0],
            "value": given.get(str(q.pk), [] if q.kind == QuestionKind.MULTIPLE else ""),
        }  # fmt: skip
        for q in questions
    ]
    return render(
        request,
        "evaluations/public/answer.html",
        {"survey": survey, "batch": link.batch, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@ratelimit("public_survey", methods=("POST",))
def ballot(request, token):
    try:
        link = round_services.ballot_lookup(token)
    except NotFound as exc:
        return render(
            request, "evaluations/public/message.html", {"message": exc.detail}, status=404
        )
    made = link.round
    subjects = list(made.subjects.select_related("unit", "person").order_by("id"))
    if request.method == "POST":
        marks = {str(s.pk): request.POST.get(f"s{s.pk}", "") for s in subjects}
        try:
            round_services.ballot_submit(token=token, marks=marks)
        except Conflict as exc:
            return render(
                request, "evaluations/public/message.html", {"message": exc.detail}, status=409
            )
        except ValidationFailed as exc:
            detail = "；".join(m for msgs in exc.errors.values() for m in msgs)
            return render(
                request,
                "evaluations/public/ballot.html",
                {"round": made, "group": link.group, "subjects": subjects, "error": detail},
                status=400,
            )
        return render(
            request,
            "evaluations/public/message.html",
            {"message": _("Thank you. Your ballot has been recorded anonymously."), "done": True},
        )
    refusal = round_services.ballot_refusal(link)
    if refusal:
        return render(request, "evaluations/public/message.html", {"message": refusal})
    return render(
        request,
        "evaluations/public/ballot.html",
        {"round": made, "group": link.group, "subjects": subjects},
    )


@require_GET
def published_rates(request):
    """公示: the satisfaction rate of each unit in the surveys the office published."""
    sections = []
    for survey in selectors.published_surveys()[:20]:
        sections.append(
            {
                "survey": survey,
                "rows": rates.survey_rates(survey, by="unit"),
                "totals": rates.survey_totals(survey),
            }
        )
    return render(request, "evaluations/public/rates.html", {"sections": sections})
