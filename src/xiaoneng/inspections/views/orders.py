"""督办单 pages: the list (red when overdue), the order with reply and verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core import audit, clock
from xiaoneng.core.files import store_upload
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.scope import scope_for

from .. import forms, selectors, services
from ..vocab import OrderStatus
from .common import crumbs

PAGE_SIZE = 30
HISTORY_LABELS = {
    "create": gettext_lazy("Issued"),
    "reply": gettext_lazy("Replied"),
    "accept": gettext_lazy("Closed"),
    "reject": gettext_lazy("Returned"),
    "escalate": gettext_lazy("Escalated as overdue"),
}


@login_required
@require_GET
def order_list(request):
    now = clock.now()
    qs = selectors.orders_for(request.user).order_by("deadline", "id")
    status = request.GET.get("status", "")
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for order in page:
        order.overdue = services.is_overdue(order, now)
    return render(
        request,
        "inspections/orders.html",
        {
            "page": page,
            "status": status,
            "statuses": OrderStatus.choices,
            "title": _("Supervision orders"),
            "breadcrumbs": crumbs((_("Supervision orders"), None)),
            "show_plans": request.user.has_permission("inspection.manage")
            or request.user.has_permission("inspection.inspect"),
        },
    )


@login_required
@require_GET
def order_detail(request, pk: int):
    user = request.user
    order = selectors.get_order(user, pk)
    reply_form = verify_form = None
    if (
        order.status in (OrderStatus.ISSUED, OrderStatus.RETURNED)
        and user.has_permission("rectification.manage")
        and not user.has_permission("inspection.manage")  # the office verifies, never replies
        and scope_for(user).contains_unit(order.unit)
    ):
        reply_form = forms.bootstrap(forms.ReplyForm())
    if order.status == OrderStatus.REPLIED and user.has_permission("inspection.manage"):
        verify_form = forms.bootstrap(forms.VerifyForm())
    return render(
        request,
        "inspections/order.html",
        {
            "order": order,
            "overdue": services.is_overdue(order, clock.now()),
            "reply_form": reply_form,
            "verify_form": verify_form,
            "history": [
                (h.at, h.actor_display, HISTORY_LABELS.get(h.action, h.action))
                for h in audit.history(order)[:50]
            ],
            "title": order.number,
            "breadcrumbs": crumbs(
                (_("Supervision orders"), "/inspections/orders/"), (order.number, None)
            ),  # fmt: skip
        },
    )


def _run(request, order, fn):
    with service_call(request) as call, transaction.atomic():
        fn()
    if not call.ok:
        return redirect("inspections:order", pk=order.pk)
    messages.success(request, _("Saved."))
    return redirect("inspections:order", pk=order.pk)


@login_required
@require_POST
def order_reply(request, pk: int):
    order = selectors.get_order(request.user, pk)
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("inspections:order", pk=order.pk)

    def reply():
        files = [store_upload(upload=f, actor=request.user) for f in form.cleaned_data["files"]]
        services.order_reply(
            actor=request.user, order=order, reply=form.cleaned_data["reply"], files=files
        )

    return _run(request, order, reply)


@login_required
@require_POST
def order_verify(request, pk: int):
    order = selectors.get_order(request.user, pk)
    form = forms.VerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("inspections:order", pk=order.pk)
    return _run(
        request,
        order,
        lambda: services.order_verify(actor=request.user, order=order, **form.cleaned_data),
    )
