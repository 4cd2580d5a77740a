"""Pages of social supervision. A supervisor (supervision.report) has a phone-first page of their
own reports and a form to file one; the office (supervision.manage) keeps the roster, triages
reports and hands ballot links to the supervisors. Reads start from ``selectors`` (someone else's
report = 404); writes call ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core.files import store_upload
from xiaoneng.core.htmlerrors import service_call

from . import forms, selectors, services

PAGE_SIZE = 20


def _office(request) -> None:
    if not selectors.may_manage(request.user):
        raise PermissionDenied


def _crumbs(*items):
    return [(_("Social supervisors"), reverse("supervision:mine")), *items]


@login_required
def mine(request):
    """The supervisor's page: their appointment, what they filed and what became of it."""
    user = request.user
    supervisor = services.supervisor_of(user)
    rows = list(selectors.my_reports(user)[:100])
    for row in rows:
        row.outcome = selectors.outcome(row)
    title = _("My supervision reports")
    return render(
        request,
        "supervision/mine.html",
        {
            "title": title,
            "supervisor": supervisor,
            "in_term": services.in_term(supervisor),
            "rows": rows,
            "visits": list(selectors.my_inspection_visits(user)[:20]) if supervisor else [],
            "activities": list(selectors.my_activities(user)[:20]) if supervisor else [],
            "may_manage": selectors.may_manage(user),
            "pending": selectors.to_triage(user).count(),
            "breadcrumbs": [(title, None)],
        },
    )


@login_required
def report_new(request):
    user = request.user
    if not user.has_permission("supervision.report") or not services.in_term(
        services.supervisor_of(user)
    ):
        raise PermissionDenied(_("Only an appointed supervisor within the term may file reports."))
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("uploads") or []
        with service_call(request, form=form) as outcome:
            files = [store_upload(upload=f, actor=user) for f in uploads]
            report = services.report_file(actor=user, files=files, **data)
        if outcome.ok:
            messages.success(request, _("Thank you. The office has received your report."))
            return redirect("supervision:report", report.pk)
    forms.bootstrap(form)
    title = _("Report what you saw")
    return render(
        request,
        "supervision/new.html",
        {"title": title, "form": form, "breadcrumbs": _crumbs((title, None))},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def report_detail(request, pk: int):
    user = request.user
    report = selectors.get_report(user, pk)
    title = report.title
    return render(
        request,
        "supervision/report.html",
        {
            "title": title,
            "report": report,
            "outcome": selectors.outcome(report),
            "files": report.files.all(),
            "may_manage": selectors.may_manage(user),
            "breadcrumbs": _crumbs((title, None)),
        },
    )


@login_required
def triage_list(request):
    _office(request)
    user = request.user
    page = Paginator(selectors.to_triage(user), PAGE_SIZE).get_page(request.GET.get("page"))
    recent = selectors.reports_for(user).exclude(status="submitted").order_by("-triaged_at")[:20]
    title = _("Reports to triage")
    return render(
        request,
        "supervision/triage_list.html",
        {
            "title": title,
            "rows": page.object_list,
            "page": page,
            "recent": recent,
            "breadcrumbs": _crumbs((title, None)),
        },
    )


@login_required
def triage(request, pk: int):
    user = request.user
    report = selectors.get_report(user, pk)
    _office(request)
    form = forms.TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as outcome:
            if data["decision"] == "complaint":
                services.report_to_complaint(
                    actor=user,
                    report=report,
                    category=data["category"],
                    type=data["type"],
                    answer=data["answer"],
                )
            elif data["decision"] == "issue":
                services.report_to_issue(
                    actor=user,
                    report=report,
                    severity=data["severity"],
                    category=data["category"],
                    answer=data["answer"],
                )
            else:
                services.report_note(actor=user, report=report, answer=data["answer"])
        if outcome.ok:
            messages.success(request, _("Decided; the supervisor is told."))
            return redirect("supervision:triage_list")
    forms.bootstrap(form, small=True)
    title = _("Triage: %(title)s") % {"title": report.title}
    return render(
        request,
        "supervision/triage.html",
        {
            "title": title,
            "report": report,
            "outcome": selectors.outcome(report),
            "files": report.files.all(),
            "form": form,
            "pending": report.status == "submitted",
            "breadcrumbs": _crumbs(
                (_("Reports to triage"), reverse("supervision:triage_list")), (title, None)
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def roster(request):
    """The roster (花名册) with terms; appoint a supervisor; hand out ballot links."""
    _office(request)
    user = request.user
    which = request.POST.get("form", "")
    form = forms.SupervisorForm(request.POST if which == "appoint" else None)
    ballots = forms.BallotsForm(request.POST if which == "ballots" else None)
    if request.method == "POST" and which not in ("appoint", "ballots"):
        raise PermissionDenied
    if which == "appoint" and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.supervisor_appoint(actor=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Appointed."))
            return redirect("supervision:roster")
    if which == "ballots" and ballots.is_valid():
        group = ballots.cleaned_data["group"]
        with service_call(request, form=ballots) as outcome:
            served = services.ballots_send(actor=user, round=group.round, group=group)
        if outcome.ok:
            messages.success(
                request, _("%(n)d supervisors received a ballot link.") % {"n": len(served)}
            )
            return redirect("supervision:roster")
    rows = list(selectors.supervisors_for(user).order_by("status", "term_ends_on", "id"))
    for row in rows:
        row.active = services.in_term(row)
        row.teams = row.person.inspection_teams.count() + row.person.inspection_visits.count()
    title = _("Roster of social supervisors")
    errors = (form.is_bound and form.errors) or (ballots.is_bound and ballots.errors)
    return render(
        request,
        "supervision/roster.html",
        {
            "title": title,
            "rows": rows,
            "form": forms.bootstrap(form, small=True),
            "ballots": forms.bootstrap(ballots, small=True),
            "counts": selectors.report_counts(user),
            "breadcrumbs": _crumbs((title, None)),
        },
        status=400 if errors else 200,
    )


@login_required
def supervisor_detail(request, pk: int):
    user = request.user
    supervisor = selectors.get_supervisor(user, pk)
    _office(request)
    which = request.POST.get("form", "")
    initial = {
        f: getattr(supervisor, f)
        for f in ("kind", "term_starts_on", "term_ends_on", "affiliation", "appointment_doc")
    }
    edit = forms.SupervisorForm(
        request.POST if which == "edit" else None, initial=initial, editing=True
    )
    end = forms.EndForm(request.POST if which == "end" else None)
    again = forms.ReappointForm(request.POST if which == "reappoint" else None)
    chosen = {"edit": edit, "end": end, "reappoint": again}.get(which)
    if request.method == "POST" and which.startswith("activity"):
        return _activity_post(request, supervisor, which)
    if request.method == "POST":
        if chosen is None:
            raise PermissionDenied
        if chosen.is_valid():
            call = {
                "edit": services.supervisor_update,
                "end": services.supervisor_end,
                "reappoint": services.supervisor_reappoint,
            }[which]
            with service_call(request, form=chosen) as outcome:
                call(actor=user, supervisor=supervisor, **chosen.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Saved."))
                return redirect("supervision:supervisor", supervisor.pk)
    title = str(supervisor)
    return render(
        request,
        "supervision/supervisor.html",
        {
            "title": title,
            "supervisor": supervisor,
            "active": services.in_term(supervisor),
            "edit": forms.bootstrap(edit, small=True),
            "end": forms.bootstrap(end, small=True),
            "again": forms.bootstrap(again, small=True),
            "reports": selectors.reports_for(user).filter(supervisor=supervisor)[:50],
            "teams": supervisor.person.inspection_teams.all()[:20],
            "activities": list(selectors.activities_of(supervisor)),
            "activity_form": forms.bootstrap(
                forms.ActivityForm(records=selectors.activity_records(user)), small=True
            ),
            "breadcrumbs": _crumbs(
                (_("Roster of social supervisors"), reverse("supervision:roster")), (title, None)
            ),
        },
        status=400 if chosen is not None and chosen.errors else 200,
    )


def _activity_post(request, supervisor, which: str):
    """Add the supervisor to a 五个一 activity, or take them off one (the office)."""
    user = request.user
    if which == "activity_remove":
        row = selectors.activities_of(supervisor).filter(pk=_post_id(request)).first()
        if row is None:
            raise Http404
        with service_call(request) as outcome:
            services.activity_remove(actor=user, participation=row)
        if outcome.ok:
            messages.success(request, _("Removed."))
        return redirect("supervision:supervisor", supervisor.pk)
    form = forms.ActivityForm(request.POST, records=selectors.activity_records(user))
    if form.is_valid():
        with service_call(request) as outcome:
            services.activity_add(actor=user, supervisor=supervisor, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("supervision:supervisor", supervisor.pk)


def _post_id(request) -> int | None:
    value = request.POST.get("participation", "")
    return int(value) if value.isascii() and value.isdigit() else None
