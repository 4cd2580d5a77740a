"""The inbox (消息): filters (unread / kind / text), pages, open one message, mark all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import clock, notify
from .models import Message

PAGE_SIZE = 20
KIND_LABELS = {
    "welcome": gettext_lazy("Welcome"),
    "notice": gettext_lazy("Notice"),
}


def kind_label(kind: str) -> str:
    """A message kind as words: the notification event's name, or 通知 for anything else."""
    if kind in KIND_LABELS:
        return str(KIND_LABELS[kind])
    label = notify.EVENTS.get(kind) or notify.EVENTS.get(f"complaint.{kind}")
    return str(label) if label else str(KIND_LABELS["notice"])


@login_required
@require_GET
def inbox(request):
    mine = Message.objects.filter(recipient=request.user)
    # ?unread=1: the work home's "unread notices" link
    show = request.GET.get("show") or ("unread" if request.GET.get("unread") == "1" else "")
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    qs = mine
    if show == "unread":
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = [
        (code, kind_label(code))
        for code in mine.order_by("kind").values_list("kind", flat=True).distinct()
        if code
    ]
    return render(
        request,
        "core/inbox.html",
        {
            "page": page,
            "show": show,
            "kind": kind,
            "q": q,
            "kinds": kinds,
            "unread": mine.filter(read_at__isnull=True).count(),
            "breadcrumbs": [(_("Inbox"), None)],
        },
    )


@login_required
@require_POST
def inbox_read(request, pk: int):
    """Mark one of the user's messages read and follow its link; another user's message is a 404."""
    message = get_object_or_404(Message, recipient=request.user, pk=pk)
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=clock.now())
    link = message.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    """Mark every unread message of the user read (one UPDATE)."""
    done = Message.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=clock.now()
    )
    messages.success(request, _("%(n)d messages marked as read.") % {"n": done})
    return redirect("inbox")
