"""Organisation pages (系统管理): units, departments, people, Excel import, working-day calendar.

Every read starts from ``core.selectors`` or ``get_scoped_or_404`` (out of scope = 404);
every write goes through a service (``services.org``, ``importing.import_org``, and the
calendar edits below), so it is audited.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods
from django_stubs_ext import StrOrPromise

from . import audit, clock, importing, selectors
from . import calendar as work_calendar
from .forms_org import (
    CalendarDayForm,
    DepartmentFilterForm,
    ImportForm,
    PersonFilterForm,
    UnitFilterForm,
    UnitForm,
)
from .htmlerrors import service_call
from .models import AuditRecord, CalendarDay, CalendarYear, Department, Person, Unit
from .params import ParamError, query_with, sort_list, to_int
from .scope import get_scoped_or_404, scope_for
from .services import org as org_services
from .services.base import require_writable
from .services.calendar import calendar_day_remove, calendar_day_set, calendar_year_mark
from .spreadsheet import xlsx_response

PAGE_SIZE = 20


# --- list-page helpers ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    key: str
    label: StrOrPromise
    order_by: tuple[str, ...] = ()  # empty: not sortable


def _query(request, **changes) -> str:
    return query_with(request, **changes)


def _sorted(request, qs: QuerySet, columns: list[Col], default: tuple[str, ...]):
    """Order by ?sort=key / -key (declared columns only); return qs and the header cells."""
    return sort_list(request, qs, columns, default)


def _page(request, qs: QuerySet):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _xlsx(filename: str, rows_by_sheet: dict[str, list[list]]) -> HttpResponse:
    return xlsx_response(filename, importing.org_sheets(rows_by_sheet))


def _list_context(request, *, title, page, headers, filters, export_url, **extra) -> dict:
    return {
        "title": title,
        "page": page,
        "headers": headers,
        "filters": filters,
        "export_url": export_url,
        "breadcrumbs": [(_("System"), None), (title, None)],
        **extra,
    }


# --- history -----------------------------------------------------------------------------------
RELATED = {  # field name → model whose ids the audit snapshot stores
    "parent": Unit,
    "unit": Unit,
    "principal": Person,
    "head": Person,
    "leader_in_charge": Person,
    "departments": Department,
}
HIDDEN_FIELDS = {"path", "depth", "id"}


def _related_names(records) -> dict[type[Model], dict[int, str]]:
    """The names of the units, departments and people the records refer to by id (one query per
    model)."""
    wanted: dict[type[Model], set] = {}
    for rec in records:
        for side in (rec.before or {}, rec.after or {}):
            for name, value in side.items():
                model = RELATED.get(name)
                if model and value:
                    wanted.setdefault(model, set()).update(
                        value if isinstance(value, list) else [value]
                    )
    names: dict[type[Model], dict[int, str]] = {}
    for model, ids in wanted.items():
        qs = model._default_manager.filter(pk__in=ids)
        qs = qs.select_related("unit") if model is Department else qs.select_related()
        names[model] = {o.pk: str(o) for o in qs}
    return names


class _Shown:
    """Field labels and values of one model's audit records, as people read them."""

    def __init__(self, meta, names: dict[type[Model], dict[int, str]]) -> None:
        self.meta, self.names = meta, names

    def value(self, name: str, value) -> str:
        if value in (None, "", []):
            return "—"
        model = RELATED.get(name)
        if model:
            ids = value if isinstance(value, list) else [value]
            return "、".join(self.names.get(model, {}).get(i, f"#{i}") for i in ids)
        try:
            field = self.meta.get_field(name)
        except FieldDoesNotExist:
            return str(value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)

    def label(self, name: str) -> str:
        try:
            return str(self.meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return _("departments") if name == "departments" else name


def history_rows(obj: Model) -> list[dict]:
    """The object's audit records, with field labels and related ids turned into names."""
    records = list(audit.history(obj)[:200])
    shown = _Shown(obj._meta, _related_names(records))
    rows = []
    for rec in records:
        before, after = rec.before or {}, rec.after or {}
        keys = [k for k in dict.fromkeys([*after, *before]) if k not in HIDDEN_FIELDS]
        changes = [
            {
                "label": shown.label(k),
                "before": shown.value(k, before.get(k)) if k in before else "",
                "after": shown.value(k, after.get(k)) if k in after else "",
            }
            for k in keys
            if before.get(k) != after.get(k) or rec.action != "update"
        ]
        rows.append({"record": rec, "changes": changes})
    return rows


def _tab(request) -> str:
    return "history" if request.GET.get("tab") == "history" else "overview"


# --- units -------------------------------------------------------------------------------------
UNIT_COLUMNS = [
    Col("name", gettext_lazy("Name"), ("name",)),
    Col("code", gettext_lazy("Code"), ("code",)),
    Col("kind", gettext_lazy("Type"), ("kind", "path")),
    Col("level", gettext_lazy("Level"), ("level", "path")),
    Col("principal", gettext_lazy("Principal leader"), ("principal__name",)),
    Col("phone", gettext_lazy("Contact phone"), ("phone",)),
    Col("window", gettext_lazy("Window unit"), ("-is_window", "path")),
    Col("departments", gettext_lazy("Departments"), ("n_departments",)),
]


@login_required
def unit_list(request):
    filters = UnitFilterForm(request.GET or None, user=request.user)
    qs = filters.apply(selectors.units_for(request.user))
    qs = qs.annotate(n_departments=Count("departments", distinct=True))
    qs, headers = _sorted(request, qs, UNIT_COLUMNS, ("path",))
    if request.GET.get("export") == "xlsx":
        return _xlsx("units.xlsx", {importing.SHEET_UNITS: [importing.unit_row(u) for u in qs]})
    page = _page(request, qs)
    base_depth = min((u.depth for u in page), default=0)
    for unit in page:
        unit.indent = unit.depth - base_depth
    return render(
        request,
        "core/org/unit_list.html",
        _list_context(
            request,
            title=_("Units"),
            page=page,
            headers=headers,
            filters=filters,
            export_url=_query(request, export="xlsx", page=None),
            tree=not request.GET.get("sort"),
        ),
    )


def _can_edit_unit(user) -> bool:
    return user.has_permission("org.manage")


@login_required
def unit_detail(request, pk: int):
    unit = get_scoped_or_404(request.user, selectors.units_for(request.user), pk=pk)
    children = selectors.units_for(request.user).filter(parent=unit).order_by("sort_order", "path")
    departments = (
        selectors.departments_for(request.user)
        .filter(unit=unit)
        .annotate(n_members=Count("members"))
        .order_by("sort_order", "id")
    )
    people_qs = selectors.people_for(request.user).filter(unit=unit).order_by("id")
    people = list(people_qs[:50])
    return render(
        request,
        "core/org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "departments": departments,
            "people": people,
            "people_total": people_qs.count(),
            "can_edit": _can_edit_unit(request.user),
            "history": history_rows(unit),
            "tab": _tab(request),
            "breadcrumbs": [
                (_("System"), None),
                (_("Units"), reverse("org:units")),
                (unit.name, None),
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    unit = get_scoped_or_404(request.user, selectors.units_for(request.user), pk=pk)
    if not _can_edit_unit(request.user):
        raise PermissionDenied
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        # a refused structural change (org.structure) is a message on this page, not a 403
        with service_call(request, form=form, forbidden="message") as call:
            require_writable(request.user)
            org_services.unit_update(actor=request.user, unit=unit, **form.changes())
        if call.ok:
            messages.success(request, _("The unit has been saved."))
            return redirect("org:unit", pk=unit.pk)
    return render(
        request,
        "core/org/unit_edit.html",
        {
            "unit": unit,
            "form": form,
            "breadcrumbs": [
                (_("System"), None),
                (_("Units"), reverse("org:units")),
                (unit.name, reverse("org:unit", args=[unit.pk])),
                (_("Edit"), None),
            ],
        },
    )


# --- departments ---------------------------------------------------------------------------------
DEPARTMENT_COLUMNS = [
    Col("name", gettext_lazy("Name"), ("name",)),
    Col("unit", gettext_lazy("Unit"), ("unit__path", "sort_order")),
    Col("kind", gettext_lazy("Type"), ("kind", "unit__path")),
    Col("head", gettext_lazy("Department head"), ("head__name",)),
    Col("leader", gettext_lazy("Leader in charge"), ("leader_in_charge__name",)),
    Col("phone", gettext_lazy("Contact phone"), ("phone",)),
    Col("members", gettext_lazy("Members"), ("n_members",)),
]


@login_required
def department_list(request):
    filters = DepartmentFilterForm(request.GET or None, user=request.user)
    qs = filters.apply(selectors.departments_for(request.user))
    qs = qs.annotate(n_members=Count("members", distinct=True))
    qs, headers = _sorted(request, qs, DEPARTMENT_COLUMNS, ("unit__path", "sort_order", "id"))
    if request.GET.get("export") == "xlsx":
        return _xlsx(
            "departments.xlsx",
            {importing.SHEET_DEPARTMENTS: [importing.department_row(d) for d in qs]},
        )
    return render(
        request,
        "core/org/department_list.html",
        _list_context(
            request,
            title=_("Departments"),
            page=_page(request, qs),
            headers=headers,
            filters=filters,
            export_url=_query(request, export="xlsx", page=None),
        ),
    )


@login_required
def department_detail(request, pk: int):
    department = get_scoped_or_404(
        request.user,
        selectors.departments_for(request.user).select_related("unit__principal"),
        pk=pk,
    )
    members = selectors.people_for(request.user).filter(departments=department).order_by("id")
    return render(
        request,
        "core/org/department_detail.html",
        {
            "department": department,
            "members": members,
            "chain": selectors.escalation_chain(department),
            "history": history_rows(department),
            "tab": _tab(request),
            "breadcrumbs": [
                (_("System"), None),
                (_("Departments"), reverse("org:departments")),
                (str(department), None),
            ],
        },
    )


# --- people ----------------------------------------------------------------------------------------
PERSON_COLUMNS = [
    Col("name", pgettext_lazy("person", "Name"), ("name",)),
    Col("employee_no", gettext_lazy("Employee number"), ("employee_no",)),
    Col("unit", gettext_lazy("Unit"), ("unit__path", "id")),
    Col("departments", gettext_lazy("Departments")),
    Col("position", gettext_lazy("Position"), ("position",)),
    Col("title", gettext_lazy("Professional title"), ("title",)),
    Col("political", gettext_lazy("Political status"), ("political_status",)),
    Col("leadership", gettext_lazy("Leadership")),
]


@login_required
def person_list(request):
    filters = PersonFilterForm(request.GET or None, user=request.user)
    qs = filters.apply(selectors.people_for(request.user)).prefetch_related(
        "principal_of", "head_of", "oversees"
    )
    qs, headers = _sorted(request, qs, PERSON_COLUMNS, ("unit__path", "id"))
    if request.GET.get("export") == "xlsx":
        return _xlsx("people.xlsx", {importing.SHEET_PEOPLE: [importing.person_row(p) for p in qs]})
    return render(
        request,
        "core/org/person_list.html",
        _list_context(
            request,
            title=_("People"),
            page=_page(request, qs),
            headers=headers,
            filters=filters,
            export_url=_query(request, export="xlsx", page=None),
        ),
    )


@login_required
def person_detail(request, pk: int):
    person = get_scoped_or_404(request.user, selectors.people_for(request.user), pk=pk)
    departments = selectors.departments_for(request.user)
    return render(
        request,
        "core/org/person_detail.html",
        {
            "person": person,
            # staff see themselves but not their unit's page: no link that ends in a 404
            "unit_visible": scope_for(request.user).contains_unit(person.unit),
            "departments": departments.filter(members=person),
            "heads": departments.filter(head=person),
            "oversees": departments.filter(leader_in_charge=person),
            "principal_of": selectors.units_for(request.user).filter(principal=person),
            "history": history_rows(person),
            "tab": _tab(request),
            "breadcrumbs": [
                (_("System"), None),
                (_("People"), reverse("org:people")),
                (person.name, None),
            ],
        },
    )


# --- import --------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def org_import(request):
    if not request.user.has_permission("org.import"):
        raise PermissionDenied
    if request.GET.get("template"):
        return xlsx_response("org-import-template.xlsx", importing.build_template())
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        require_writable(request.user)
        result = importing.import_org(actor=request.user, data=form.cleaned_data["file"].read())
        if result.ok:
            messages.success(request, _("The organisation file has been imported."))
    return render(
        request,
        "core/org/import.html",
        {
            "form": form,
            "result": result,
            "layout": [(sheet, importing.COLUMNS[sheet]) for sheet in importing.SHEETS],
            "breadcrumbs": [(_("System"), None), (_("Import organisation"), None)],
        },
    )


# --- working-day calendar ------------------------------------------------------------------------
# Services for calendar edits (audited, atomic; the calendar cache is dropped on commit).
def _month_grid(year: int, month: int, days: dict[date, CalendarDay]) -> dict:
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for d in week:
            entry = days.get(d)
            if d.month != month:
                state = "outside"
            elif entry and entry.kind == CalendarDay.Kind.HOLIDAY:
                state = "holiday"
            elif entry and entry.kind == CalendarDay.Kind.WORKDAY:
                state = "workday"
            elif d.weekday() >= 5:
                state = "weekend"
            else:
                state = "working"
            cells.append({"date": d, "state": state, "entry": entry if d.month == month else None})
        weeks.append(cells)
    return {"month": month, "weeks": weeks}


@login_required
@require_http_methods(["GET", "POST"])
def calendar_view(request):
    today = clock.now().date()
    raw_year = request.GET.get("year") or request.POST.get("year")
    try:
        year = to_int(raw_year) if raw_year else today.year
    except ParamError:
        year = today.year
    year = min(max(year, work_calendar.FIRST_YEAR), work_calendar.LAST_YEAR)
    can_manage = request.user.has_permission("calendar.manage")
    form = CalendarDayForm(initial={"date": date(year, 1, 1)})
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        # a refused change is shown as a message on the calendar page itself
        with service_call(request):
            if action == "add":
                form = CalendarDayForm(request.POST)
                if form.is_valid():
                    day = form.cleaned_data["date"]
                    calendar_day_set(
                        actor=request.user,
                        day=day,
                        kind=form.cleaned_data["kind"],
                        name=form.cleaned_data["name"],
                    )
                    messages.success(request, _("%(date)s has been saved.") % {"date": day})
                    return redirect(f"{reverse('org:calendar')}?year={day.year}")
            elif action == "remove":
                day = CalendarDay.objects.filter(pk=request.POST.get("day") or 0).first()
                if day is not None:
                    calendar_day_remove(actor=request.user, day=day)
                    messages.success(request, _("%(date)s has been removed.") % {"date": day.date})
                return redirect(f"{reverse('org:calendar')}?year={year}")
            elif action in {"mark", "unmark"}:
                calendar_year_mark(
                    actor=request.user,
                    year=year,
                    entered=action == "mark",
                    source=request.POST.get("source", "")[:200],
                )
                return redirect(f"{reverse('org:calendar')}?year={year}")
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=year)}
    year_row = CalendarYear.objects.filter(year=year).first()
    known_years = list(CalendarYear.objects.values_list("year", flat=True))
    choices = sorted(set(known_years) | set(range(today.year - 2, today.year + 3)) | {year})
    history = AuditRecord.objects.filter(
        object_type__in=["core.calendarday", "core.calendaryear"]
    ).select_related("actor__person")[:20]
    return render(
        request,
        "core/org/calendar.html",
        {
            "year": year,
            "years": choices,
            "year_row": year_row,
            "entered": year_row is not None,
            "months": [_month_grid(year, m, days) for m in range(1, 13)],
            "days": sorted(days.values(), key=lambda d: d.date),
            "working_days": sum(
                1
                for o in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
                if work_calendar.is_working_day(date.fromordinal(o))
            ),
            "can_manage": can_manage,
            "form": form,
            "history": history,
            "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            "breadcrumbs": [(_("System"), None), (_("Working-day calendar"), None)],
        },
    )
