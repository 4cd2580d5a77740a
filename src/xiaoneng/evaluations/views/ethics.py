"""Medical-ethics file pages: the list with the unit's grade distribution, a file with its
evaluation forms, the printable file, a person's history over the years, the .xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.models import Unit
from xiaoneng.core.scope import scoped
from xiaoneng.core.spreadsheet import write_xlsx

from .. import forms, selectors
from ..services import ethics as services
from ..vocab import EthicsStage, EthicsStatus
from .common import crumbs, run, xlsx


def _files(request):
    user = request.user
    qs = selectors.ethics_files_for(user)
    year = request.GET.get("year", "")
    unit = request.GET.get("unit", "")
    grade = request.GET.get("grade", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if unit.isdigit():
        qs = qs.filter(unit_id=int(unit))
    if grade:
        qs = qs.filter(grade="" if grade == "none" else grade)
    return qs, {"year": year, "unit": unit, "grade": grade}


@login_required
def ethics_list(request):
    user = request.user
    qs, filters = _files(request)
    page = Paginator(
        qs.order_by("unit__path", "-year", "department__sort_order", "person__name", "id"), 50
    ).get_page(request.GET.get("page"))
    title = _("Medical-ethics files")
    may_open = user.has_permission("ethics.grade")
    return render(
        request,
        "evaluations/ethics.html",
        {
            "title": title,
            "page": page,
            "rows": page.object_list,
            "count": page.paginator.count,
            "query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
            "distribution": selectors.grade_distribution(qs),
            "filters": filters,
            "units": scoped(user, Unit).filter(is_active=True).order_by("path"),
            "years": sorted(
                set(selectors.ethics_files_for(user).values_list("year", flat=True)), reverse=True
            ),
            "open_form": forms.EthicsOpenForm(user=user) if may_open else None,
            "breadcrumbs": crumbs((title, None)),
        },
    )


@login_required
def ethics_open(request):
    if request.method != "POST":
        raise Http404
    user = request.user
    form = forms.EthicsOpenForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        made = {}

        def call():
            made["n"] = services.files_open_for_unit(
                actor=user, unit=data["unit"], year=data["year"]
            )

        if run(request, call):
            from django.contrib import messages

            messages.success(request, _("%(n)s files opened.") % {"n": made["n"]})
        return redirect(
            reverse("evaluations:ethics") + f"?year={data['year']}&unit={data['unit'].pk}"
        )
    return redirect("evaluations:ethics")


@login_required
def ethics_export(request):
    qs, _filters = _files(request)
    header = [
        _("Year"), _("Unit"), _("Department"), _("Name"), _("Self-evaluation score"),
        _("Department score"), _("Unit score"), _("Patient satisfaction (%)"),
        _("Verified complaints"), _("Veto items"), _("Suggested score"), _("Grade"), _("Reviewer"),
    ]  # fmt: skip
    rows = (
        [
            f.year,
            f.unit.name,
            f.department.name if f.department else "",
            f.person.name,
            f.self_score,
            f.department_score,
            f.unit_score,
            f.patient_satisfaction,
            f.verified_complaints,
            "；".join(v.name for v in f.vetoes.all()),
            f.suggested_score,
            f.get_grade_display(),
            f.reviewer.username if f.reviewer else "",
        ]  # fmt: skip
        for f in qs.prefetch_related("vetoes").iterator(chunk_size=500)
    )
    data, _count = write_xlsx(rows, header=header, sheet=_("Medical-ethics files"))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx(data, f"医德档案-{stamp}.xlsx")


def _file_context(request, file):
    user = request.user
    stage_forms = []
    if file.status == EthicsStatus.OPEN:
        if user.person_id == file.person_id:
            stage_forms.append(
                (
                    EthicsStage.SELF.label,
                    forms.EvaluateForm(
                        initial={"stage": "self", "text": file.self_text, "score": file.self_score}
                    ),
                )
            )
        if user.has_permission("ethics.evaluate"):
            stage_forms.append(
                (
                    EthicsStage.DEPARTMENT.label,
                    forms.EvaluateForm(
                        initial={
                            "stage": "department",
                            "text": file.department_text,
                            "score": file.department_score,
                        }
                    ),
                )
            )
        if user.has_permission("ethics.grade"):
            stage_forms.append(
                (
                    EthicsStage.UNIT.label,
                    forms.EvaluateForm(
                        initial={"stage": "unit", "text": file.unit_text, "score": file.unit_score}
                    ),
                )
            )
    score, grade = services.suggested(file)
    return {
        "file": file,
        "vetoes": list(file.vetoes.all()),
        "stage_forms": stage_forms,
        "grade_form": forms.GradeForm(initial={"vetoes": file.vetoes.all()})
        if user.has_permission("ethics.grade") and file.status == EthicsStatus.OPEN
        else None,
        "suggested_score": score,
        "suggested_grade": grade,
        "history": selectors.person_history(user, file.person_id).exclude(pk=file.pk),
    }


@login_required
def ethics_file(request, pk):
    file = selectors.get_ethics_file(request.user, pk)
    title = f"{file.person.name} · {file.year}"
    return render(
        request,
        "evaluations/ethics_file.html",
        _file_context(request, file)
        | {
            "title": title,
            "breadcrumbs": crumbs(
                (_("Medical-ethics files"), reverse("evaluations:ethics")), (title, None)
            ),
        },
    )


@login_required
def ethics_print(request, pk):
    file = selectors.get_ethics_file(request.user, pk)
    return render(
        request,
        "evaluations/ethics_print.html",
        _file_context(request, file) | {"now": timezone.now()},
    )


@login_required
def ethics_history(request, person):
    files = list(selectors.person_history(request.user, person))
    if not files:
        raise Http404
    name = files[0].person.name
    title = _("%(name)s: medical-ethics history") % {"name": name}
    return render(
        request,
        "evaluations/ethics_history.html",
        {
            "title": title,
            "files": files,
            "breadcrumbs": crumbs(
                (_("Medical-ethics files"), reverse("evaluations:ethics")), (title, None)
            ),
        },
    )


@login_required
def ethics_evaluate(request, pk):
    if request.method != "POST":
        raise Http404
    user = request.user
    file = selectors.get_ethics_file(user, pk)
    form = forms.EvaluateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run(request, lambda: services.file_evaluate(actor=user, file=file, stage=data["stage"], text=data["text"], score=data["score"]),
            done=_("Saved."))  # fmt: skip
    else:
        from django.contrib import messages

        messages.error(request, _("Write the evaluation and a score from 0 to 100."))
    return redirect("evaluations:ethics-file", pk=file.pk)


@login_required
def ethics_grade(request, pk):
    if request.method != "POST":
        raise Http404
    user = request.user
    file = selectors.get_ethics_file(user, pk)
    form = forms.GradeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        run(
            request,
            lambda: services.file_grade(
                actor=user,
                file=file,
                grade=data["grade"],
                note=data["note"],
                vetoes=list(data["vetoes"]),
                veto_note=data["veto_note"],
            ),  # fmt: skip
            done=_("The file is graded."),
        )
    return redirect("evaluations:ethics-file", pk=file.pk)
