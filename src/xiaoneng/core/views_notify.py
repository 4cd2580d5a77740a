"""The user's notification preferences: which channels for which events (the inbox is always on)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import notify
from .models import NotificationChannel, NotificationTemplate


@login_required
def notification_preferences(request):
    user = request.user
    if request.method == "POST":
        chosen = set()
        for value in request.POST.getlist("on"):
            event, _sep, channel = value.rpartition("|")
            chosen.add((event, channel))
        notify.preferences_save(user=user, enabled=chosen)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("notification-preferences")
    current = notify.preferences_of(user)
    templated = set(
        NotificationTemplate.objects.filter(is_active=True).values_list("event", "channel")
    )
    phone = getattr(user.person, "phone", "") if user.person_id else ""
    rows = [
        {
            "event": event,
            "label": label,
            "cells": [
                {
                    "value": f"{event}|{channel}",
                    "on": current[(event, channel)],
                    "templated": (event, channel) in templated,
                }
                for channel in notify.OPTIONAL_CHANNELS
            ],
        }
        for event, label in notify.known_events().items()
    ]
    return render(
        request,
        "core/notification_preferences.html",
        {
            "rows": rows,
            "channels": [NotificationChannel(c).label for c in notify.OPTIONAL_CHANNELS],
            "email": user.email,
            "phone": phone,
            "breadcrumbs": [(_("Notification preferences"), None)],
        },
    )
