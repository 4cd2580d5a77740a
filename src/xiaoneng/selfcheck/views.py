"""Staff pages: my checklists and the answer form, assignments with completion, commitments and
their review, learning records (group-session form, compliance), the 五个一 matrix and the
institution register. Reads start from ``selectors`` (out of scope = 404); writes call
``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.files import IMAGE_TYPES
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.scope import get_scoped_or_404

from . import forms, selectors, services
from .models import TEN_RULES, ChecklistAnswer, ChecklistAssignment, RecurringActivity
from .sweep import REVIEW_NOTICE_DAYS

PAGE_SIZE = 50
MISSING_SHOWN = 10  # missing occurrences listed above the matrices; the rest as a count


def _crumbs(*items):
    return [(_("Self-inspection"), reverse("selfcheck:mine")), *items]


def _page(request, qs, *, param: str = "page"):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get(param))


def _render(request, template, context, *, form_errors=False):
    return render(request, template, context, status=400 if form_errors else 200)


# --- checklists -------------------------------------------------------------------------------------
@login_required
def mine(request):
    title = _("My checklists")
    rows = list(selectors.my_assignments(request.user).order_by("due_on", "id"))
    today = selectors.today()
    for row in rows:
        row.is_overdue = row.due_on < today
    return render(
        request,
        "selfcheck/mine.html",
        {"title": title, "rows": rows, "breadcrumbs": _crumbs((title, None))},
    )


@login_required
def assignments(request):
    user = request.user
    may_assign = user.has_permission("campaign.manage") or user.has_permission("campaign.submit")
    form = forms.AssignForm(request.POST or None, user=user) if may_assign else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            with service_call(request, form=form) as outcome:
                made = services.assignments_create(
                    actor=user,
                    template=data["template"],
                    due_on=data["due_on"],
                    units=data["units"],
                    people=data["people"],
                    campaign=data["campaign"],
                )
            if outcome.ok:
                messages.success(request, _("%(n)d checklists assigned.") % {"n": len(made)})
                return redirect("selfcheck:assignments")
    qs = selectors.assignments_for(user).order_by("due_on", "id")
    status = request.GET.get("status", "")
    if status == "overdue":
        qs = qs.filter(status=ChecklistAssignment.Status.OPEN, due_on__lt=selectors.today())
    elif status in ChecklistAssignment.Status.values:
        qs = qs.filter(status=status)
    page = _page(request, qs)
    today = selectors.today()
    for row in page.object_list:
        row.is_overdue = selectors.is_overdue(row, today)
    if form is not None:
        forms.bootstrap(form, small=True)
    title = _("Checklist assignments")
    return _render(
        request,
        "selfcheck/assignments.html",
        {
            "title": title,
            "page": page,
            "status": status,
            "completion": selectors.completion_by_unit(user),
            "overdue_count": selectors.overdue_assignments(user).count(),
            "form": form,
            "breadcrumbs": _crumbs((title, None)),
        },
        form_errors=bool(form is not None and form.is_bound and form.errors),
    )


def _answers_from_post(request, items):
    """One answer per item with a chosen result; files of an item are stored first."""
    post = request.POST
    answers = []
    for item in items:
        result = post.get(f"result-{item.pk}", "")
        if not result:
            continue
        answers.append(
            {
                "item": item.pk,
                "result": result,
                "description": post.get(f"description-{item.pk}", ""),
                "files": forms.store_uploads(
                    f"answers.{len(answers)}.files",
                    request.FILES.getlist(f"files-{item.pk}"),
                    request.user,
                ),
            }
        )
    return answers


@login_required
def assignment(request, pk: int):
    user = request.user
    obj = selectors.get_assignment(user, pk)
    items = list(obj.template.items.order_by("number"))
    answers = {a.item_id: a for a in selectors.answers_of(obj)}
    errors: dict[str, list[str]] = {}
    is_material = request.POST.get("form") == "material"
    material = forms.MaterialForm(
        request.POST if is_material else None,
        request.FILES if is_material else None,
        initial={"text": obj.material_text},
    )
    if request.method == "POST":
        with service_call(request, form=material if is_material else None) as call:
            if is_material:
                if material.is_valid():
                    with transaction.atomic():
                        services.assignment_attach_material(
                            actor=user,
                            assignment=obj,
                            text=material.cleaned_data["text"],
                            files=forms.store_uploads(
                                "files", material.cleaned_data["files"], user
                            ),
                        )
                    messages.success(request, _("Material saved."))
                    return redirect("selfcheck:assignment", pk=obj.pk)
            else:
                with transaction.atomic():
                    services.assignment_answer(
                        actor=user, assignment=obj, answers=_answers_from_post(request, items)
                    )
                messages.success(request, _("Answers saved."))
                return redirect("selfcheck:assignment", pk=obj.pk)
        if isinstance(call.error, ValidationFailed) and not is_material:
            errors = call.error.errors or {"answers": [call.error.detail]}
    rows = []
    for item in items:
        answer = answers.get(item.pk)
        posted = request.POST.get(f"result-{item.pk}") if request.method == "POST" else None
        rows.append(
            {
                "item": item,
                "answer": answer,
                "result": posted or (answer.result if answer else ""),
                "description": request.POST.get(f"description-{item.pk}")
                if request.method == "POST"
                else (answer.description if answer else ""),
                "errors": [
                    e
                    for key, msgs in errors.items()
                    if key.startswith("answers.")
                    for e in msgs
                    if _entry_item(key, request.POST, items) == item.pk
                ],
            }
        )
    forms.bootstrap(material, small=True)
    title = str(obj)
    return _render(
        request,
        "selfcheck/assignment.html",
        {
            "title": title,
            "obj": obj,
            "rows": rows,
            "errors": errors,
            "material": material,
            "can_answer": services.can_answer(user, obj)
            and obj.status == ChecklistAssignment.Status.OPEN,
            "can_attach": services.can_answer(user, obj),
            "is_overdue": selectors.is_overdue(obj),
            "results": ChecklistAnswer.Result.choices,
            "breadcrumbs": _crumbs(
                (_("Checklist assignments"), reverse("selfcheck:assignments")), (title, None)
            ),
        },
        form_errors=bool(errors) or bool(material.is_bound and material.errors),
    )


def _entry_item(key: str, post, items) -> int | None:
    """Map "answers.i.field" back to the item of the i-th posted answer."""
    try:
        index = int(key.split(".")[1])
    except (IndexError, ValueError):
        return None
    posted = [item.pk for item in items if post.get(f"result-{item.pk}")]
    return posted[index] if index < len(posted) else None


# --- commitments -------------------------------------------------------------------------------------
@login_required
def commitments(request):
    user = request.user
    form = forms.CommitmentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as outcome:
            services.commitment_create(actor=user, **data)
        if outcome.ok:
            messages.success(request, _("Commitment recorded."))
            return redirect("selfcheck:commitments")
    page = _page(request, selectors.commitments_for(user).prefetch_related("review_evidence"))
    for row in page.object_list:
        row.may_review = services.can_review(user, row)
    forms.bootstrap(form, small=True)
    title = _("Public commitments")
    return _render(
        request,
        "selfcheck/commitments.html",
        {
            "title": title,
            "page": page,
            "form": form,
            "review_form": forms.bootstrap(forms.ReviewForm(), small=True),
            "breadcrumbs": _crumbs((title, None)),
        },
        form_errors=form.is_bound and bool(form.errors),
    )


@login_required
@require_POST
def commitment_review(request, pk: int):
    user = request.user
    commitment = get_scoped_or_404(user, selectors.commitments_for(user), pk=pk)
    form = forms.ReviewForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose fulfilled, partly fulfilled or not fulfilled."))
        return redirect("selfcheck:commitments")
    data = dict(form.cleaned_data)
    with service_call(request) as outcome, transaction.atomic():
        data["evidence"] = forms.store_uploads("evidence", data["evidence"], user)
        services.commitment_review(actor=user, commitment=commitment, **data)
    if outcome.ok:
        messages.success(request, _("Review recorded."))
    return redirect("selfcheck:commitments")


# --- learning ------------------------------------------------------------------------------------------
@login_required
def learning(request):
    user = request.user
    which = request.POST.get("form") if request.method == "POST" else None
    record_form = forms.LearningRecordForm(
        request.POST if which == "record" else None,
        request.FILES if which == "record" else None,
        user=user,
        initial={"person": user.person_id},
    )
    group_form = (
        forms.GroupSessionForm(request.POST if which == "group" else None, user=user)
        if user.has_permission("campaign.submit")
        else None
    )
    if which == "group" and group_form is None:
        raise PermissionDenied
    form = record_form if which == "record" else group_form
    if form is not None and form.is_bound and form.is_valid():
        with service_call(request, form=form) as outcome:
            if which == "record":
                data = dict(form.cleaned_data)
                with transaction.atomic():
                    data["essays"] = forms.store_uploads("essays", data["essays"], user)
                    services.learning_record_create(actor=user, **data)
                messages.success(request, _("Learning recorded."))
            else:
                session = services.group_session_record(actor=user, **form.cleaned_data)
                messages.success(
                    request,
                    _("Group session recorded for %(n)d attendees.")
                    % {"n": session.records.count()},
                )
        if outcome.ok:
            return redirect("selfcheck:learning")
    forms.bootstrap(record_form, small=True)
    if group_form is not None:
        forms.bootstrap(group_form, small=True)
    title = _("Learning records")
    return _render(
        request,
        "selfcheck/learning.html",
        {
            "title": title,
            "page": _page(request, selectors.learning_records_for(user)),
            "record_form": record_form,
            "group_form": group_form,
            "breadcrumbs": _crumbs((title, None)),
        },
        form_errors=bool(form is not None and form.is_bound and form.errors),
    )


@login_required
def compliance(request):
    user = request.user
    requirements = list(selectors.requirements_for(user).filter(is_active=True))
    rows = selectors.compliance(user, requirements=requirements)
    page = _page(request, rows)
    title = _("Learning compliance")
    return render(
        request,
        "selfcheck/compliance.html",
        {
            "title": title,
            "requirements": requirements,
            "page": page,
            "rows": page.object_list,
            "units": _page(request, selectors.compliance_by_unit(rows), param="unit_page"),
            "breadcrumbs": _crumbs(
                (_("Learning records"), reverse("selfcheck:learning")), (title, None)
            ),
        },
    )


# --- 五个一 ---------------------------------------------------------------------------------------------
@login_required
def activities(request):
    user = request.user
    may_record = user.has_permission("campaign.submit")
    form = (
        forms.ActivityRecordForm(request.POST or None, request.FILES or None, user=user)
        if may_record
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                data = dict(form.cleaned_data)
                with transaction.atomic():
                    data["photos"] = forms.store_uploads(
                        "photos", data["photos"], user, allowed=IMAGE_TYPES
                    )
                    services.activity_record_create(actor=user, **data)
            if outcome.ok:
                messages.success(request, _("Activity recorded."))
                return redirect("selfcheck:activities")
    matrices = []
    pages = []
    for activity in RecurringActivity.objects.filter(is_active=True).prefetch_related("units"):
        columns, rows = selectors.activity_matrix(user, activity)
        page = _page(request, rows)  # the same page of units in every matrix
        pages.append(page)
        matrices.append({"activity": activity, "columns": columns, "rows": page.object_list})
    missing = selectors.missing_occurrences(user=user)
    if form is not None:
        forms.bootstrap(form, small=True)
    title = _("Recurring activities (五个一)")
    return _render(
        request,
        "selfcheck/activities.html",
        {
            "title": title,
            "matrices": matrices,
            "page": max(pages, key=lambda p: p.paginator.count, default=None),
            "form": form,
            "missing": missing[:MISSING_SHOWN],
            "missing_more": max(len(missing) - MISSING_SHOWN, 0),
            "breadcrumbs": _crumbs((title, None)),
        },
        form_errors=bool(form is not None and form.is_bound and form.errors),
    )


# --- institution register ----------------------------------------------------------------------------------
@login_required
def register(request):
    user = request.user
    may_record = user.has_permission("campaign.submit")
    form = (
        forms.RuleForm(request.POST or None, request.FILES or None, user=user)
        if may_record
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                data = dict(form.cleaned_data)
                with transaction.atomic():
                    upload = data.pop("document")
                    data["document"] = (forms.store_uploads("document", [upload], user) or [None])[
                        0
                    ]
                    services.rule_create(actor=user, **data)
            if outcome.ok:
                messages.success(request, _("Rule registered."))
                return redirect("selfcheck:register")
    if form is not None:
        forms.bootstrap(form, small=True)
    title = _("Institution register (十项制度)")
    today = selectors.today()
    page = _page(request, selectors.rules_for(user).filter(is_active=True))
    rules = list(page.object_list)
    for rule in rules:
        rule.review_due = bool(
            rule.next_review_on and (rule.next_review_on - today).days <= REVIEW_NOTICE_DAYS
        )
        rule.may_review = services.can_record_for(user, rule.unit)
    return _render(
        request,
        "selfcheck/register.html",
        {
            "title": title,
            "rules": TEN_RULES,
            "rows": selectors.register(user),
            "rule_list": rules,
            "page": page,
            "review_form": forms.bootstrap(forms.RuleReviewForm(), small=True),
            "form": form,
            "breadcrumbs": _crumbs((title, None)),
        },
        form_errors=bool(form is not None and form.is_bound and form.errors),
    )


@login_required
@require_POST
def rule_review(request, pk: int):
    """Record a rule's review (next review date, optionally a revised document)."""
    user = request.user
    rule = get_scoped_or_404(user, selectors.rules_for(user), pk=pk)
    form = forms.RuleReviewForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "; ".join(m for msgs in form.errors.values() for m in msgs))
        return redirect("selfcheck:register")
    data = form.cleaned_data
    with service_call(request) as outcome, transaction.atomic():
        document = forms.store_uploads("document", [data["document"]], user)
        services.rule_review(
            actor=user,
            rule=rule,
            next_review_on=data["next_review_on"],
            document=document[0] if document else None,
            notes=data["notes"],
        )
    if outcome.ok:
        messages.success(request, _("Review recorded."))
    return redirect("selfcheck:register")
