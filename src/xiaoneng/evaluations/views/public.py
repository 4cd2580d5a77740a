"""Public pages (no login, phone-first): answer a survey through a QR link, vote through a
ballot link, and the published satisfaction rates."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.core.errors import ApplicationError, ValidationFailed
from xiaoneng.core.htmlerrors import service_call
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


def _message(request, error: ApplicationError, **context):
    """A refusal on the public message page, with the error's status (404 unknown link, 409
    already answered or closed)."""
    return render(
        request,
        "evaluations/public/message.html",
        {"message": error.detail, **context},
        status=error.status,
    )


@ratelimit("public_survey", methods=("POST",))
def answer(request, token):
    with service_call(request, show=False) as found:
        link = services.token_lookup(token)
    if found.error is not None:
        return _message(request, found.error)
    survey = link.batch.survey
    questions = list(survey.questions.all())
    errors: dict = {}
    given: dict = {}
    if request.method == "POST":
        given = _given(request.POST, questions)
        with service_call(request, show=False) as sent:
            services.response_submit(token=token, answers=given)
        if isinstance(sent.error, ValidationFailed):
            errors = sent.error.errors
        elif sent.error is not None:
            return _message(request, sent.error, survey=survey)
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
    with service_call(request, show=False) as found:
        link = round_services.ballot_lookup(token)
    if found.error is not None:
        return _message(request, found.error)
    made = link.round
    subjects = list(made.subjects.select_related("unit", "person").order_by("id"))
    if request.method == "POST":
        marks = {str(s.pk): request.POST.get(f"s{s.pk}", "") for s in subjects}
        with service_call(request, show=False) as sent:
            round_services.ballot_submit(token=token, marks=marks)
        if isinstance(sent.error, ValidationFailed):
            detail = "；".join(m for msgs in sent.error.errors.values() for m in msgs)
            return render(
                request,
                "evaluations/public/ballot.html",
                {"round": made, "group": link.group, "subjects": subjects, "error": detail},
                status=400,
            )
        if sent.error is not None:
            return _message(request, sent.error)
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
