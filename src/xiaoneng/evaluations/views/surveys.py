"""Survey pages: list, new, the survey with its rates and link batches, printable QR sheets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.spreadsheet import write_xlsx

from .. import forms, qr, rates, selectors
from ..models import SurveyToken
from ..services import surveys as services
from ..vocab import SurveyStatus
from .common import crumbs, run, xlsx

BY = {
    "unit": gettext_lazy("By unit"),
    "department": gettext_lazy("By department"),
    "month": gettext_lazy("By month"),
}


def _is_date(text) -> bool:
    try:
        return bool(text) and parse_date(text) is not None
    except ValueError:
        return False


def _link(request, token: str) -> str:
    return request.build_absolute_uri(reverse("evaluations_public:answer", args=[token]))


@login_required
def survey_list(request):
    title = _("Satisfaction surveys")
    return render(
        request,
        "evaluations/surveys.html",
        {
            "title": title,
            "rows": selectors.surveys_for(request.user).prefetch_related("units"),
            "may_manage": selectors.may_manage(request.user),
            "breadcrumbs": crumbs((title, None)),
        },
    )


@login_required
def survey_new(request):
    user = request.user
    if not selectors.may_manage(user):
        raise PermissionDenied
    start, end = forms.default_window()
    form = forms.SurveyForm(
        request.POST or None, user=user, initial={"opens_at": start, "closes_at": end}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as call:
            survey = services.survey_create(
                actor=user,
                title=data["title"],
                intro=data["intro"],
                units=data["units"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                questions=form.questions(),
            )
        if call.ok:
            return redirect("evaluations:survey", pk=survey.pk)
    title = _("New satisfaction survey")
    return render(
        request,
        "evaluations/form.html",
        {
            "title": title,
            "form": form,
            "help": _("The standard question 满意 / 基本满意 / 不满意 is always asked first."),
            "cancel": reverse("evaluations:surveys"),
            "breadcrumbs": crumbs(
                (_("Satisfaction surveys"), reverse("evaluations:surveys")), (title, None)
            ),
        },
    )


@login_required
def survey_detail(request, pk):
    user = request.user
    survey = selectors.get_survey(user, pk)
    by = request.GET.get("by", "unit")
    if by not in BY:
        by = "unit"
    start = (
        parse_date(request.GET.get("start") or "") if _is_date(request.GET.get("start")) else None
    )
    end = parse_date(request.GET.get("end") or "") if _is_date(request.GET.get("end")) else None
    unit_ids = selectors.unit_ids_for(user, survey)
    rows = selectors.survey_results(user, survey, by=by, start=start, end=end)
    visit_units = unit_ids if unit_ids is not None else survey.units.values_list("pk", flat=True)
    visits = rates.return_visit_rates(
        unit_ids=visit_units,
        start=start or timezone.localdate(survey.opens_at),
        end=end or timezone.localdate(survey.closes_at),
    )
    may_distribute = user.has_permission("evaluation.manage") or user.has_permission(
        "survey.distribute"
    )
    return render(
        request,
        "evaluations/survey.html",
        {
            "title": survey.title,
            "survey": survey,
            "questions": survey.questions.all(),
            "rows": rows,
            "totals": rates.survey_totals(survey, unit_ids),
            "visits": visits,
            "by": by,
            "start": start,
            "end": end,
            "by_choices": BY.items(),
            "batches": selectors.batches_for(user, survey),
            "batch_form": forms.BatchForm(user=user, survey=survey) if may_distribute else None,
            "may_manage": selectors.may_manage(user),
            "breadcrumbs": crumbs(
                (_("Satisfaction surveys"), reverse("evaluations:surveys")), (survey.title, None)
            ),
        },
    )


ACTIONS = {
    "open": (services.survey_open, gettext_lazy("The survey is open.")),
    "close": (services.survey_close, gettext_lazy("The survey is closed.")),
    "publish": (
        lambda **kw: services.survey_publish(public=True, **kw),
        gettext_lazy("The rates are published on the public site."),
    ),
    "unpublish": (
        lambda **kw: services.survey_publish(public=False, **kw),
        gettext_lazy("The rates are withdrawn from the public site."),
    ),
}


@login_required
@require_POST
def survey_action(request, pk, action):
    survey = selectors.get_survey(request.user, pk)
    if action not in ACTIONS:
        raise Http404
    call, done = ACTIONS[action]
    run(request, lambda: call(actor=request.user, survey=survey), done=done)
    return redirect("evaluations:survey", pk=survey.pk)


@login_required
@require_POST
def batch_new(request, pk):
    user = request.user
    survey = selectors.get_survey(user, pk)
    form = forms.BatchForm(request.POST, user=user, survey=survey)
    if not form.is_valid():
        messages.error(
            request,
            "；".join(
                f"{form.fields[f].label}: {e[0]}"
                for f, e in form.errors.items()
                if f in form.fields
            )
            or _("Please correct the errors below."),
        )
        return redirect("evaluations:survey", pk=survey.pk)
    data = form.cleaned_data
    made = {}

    def call():
        made["batch"] = services.batch_create(
            actor=user, survey=survey, unit=data["unit"], department=data["department"],
            size=data["size"], channel=data["channel"], label=data["label"],
        )  # fmt: skip

    if run(request, call, done=_("The links are ready; print the QR sheet.")):
        return redirect("evaluations:survey-qr", pk=survey.pk, batch=made["batch"].pk)
    return redirect("evaluations:survey", pk=survey.pk)


@login_required
def qr_sheet(request, pk, batch):
    """A printable A4 sheet: one QR code and short link per one-time token."""
    user = request.user
    survey = selectors.get_survey(user, pk)
    found = selectors.get_batch(user, survey, batch)
    cards = [
        {"token": t, "url": _link(request, t.token), "svg": qr.svg(_link(request, t.token))}
        for t in found.tokens.all()
    ]
    return render(
        request,
        "evaluations/qr_sheet.html",
        {
            "title": _("QR codes"),
            "survey": survey,
            "batch": found,
            "cards": cards,
            "status_open": survey.status == SurveyStatus.OPEN,
            "breadcrumbs": crumbs(
                (_("Satisfaction surveys"), reverse("evaluations:surveys")),
                (survey.title, reverse("evaluations:survey", args=[survey.pk])),
                (_("QR codes"), None),
            ),
        },
    )


@login_required
def qr_png(request, pk, batch, token):
    user = request.user
    survey = selectors.get_survey(user, pk)
    found = selectors.get_batch(user, survey, batch)
    link = SurveyToken.objects.filter(batch=found, token=token).first()
    if link is None:
        raise Http404
    response = HttpResponse(qr.png(_link(request, link.token)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survey-{link.token[:8]}.png"'
    return response


@login_required
def links_export(request, pk, batch):
    """The batch's links as .xlsx (for sending by SMS or WeChat instead of printing)."""
    user = request.user
    survey = selectors.get_survey(user, pk)
    found = selectors.get_batch(user, survey, batch)
    rows = (
        [i, _link(request, t.token), _("Used") if t.used_at else ""]
        for i, t in enumerate(found.tokens.all(), start=1)
    )
    data, _count = write_xlsx(rows, header=["#", _("Link"), _("Status")], sheet=_("Links"))
    return xlsx(data, f"{survey.title}-{found.unit.name}-{found.pk}.xlsx")


def _number(value):
    return float(value) if value is not None else None


@login_required
def rates_export(request, pk):
    """The survey's rates (by unit, department or month) as .xlsx."""
    user = request.user
    survey = selectors.get_survey(user, pk)
    by = request.GET.get("by", "unit")
    if by not in BY:
        by = "unit"
    header = [
        str(BY[by]), _("Links issued"), _("Answered"), _("Response rate"), _("Satisfied"),
        _("Basically satisfied"), _("Unsatisfied"), _("Valid answers"), _("Satisfaction rate"),
    ]  # fmt: skip
    rows = (
        [
            r.label,
            r.issued,
            r.used,
            _number(r.response_rate),
            r.satisfied,
            r.basically_satisfied,
            r.unsatisfied,
            r.valid,
            _number(r.satisfaction_rate),
        ]
        for r in selectors.survey_results(user, survey, by=by)
    )
    data, _count = write_xlsx(rows, header=header, sheet=_("Satisfaction rates"))
    return xlsx(data, f"{survey.title}-{_('Satisfaction rates')}.xlsx")
