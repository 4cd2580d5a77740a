"""Registration of a complaint by staff, and the unit → department options."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.params import Params

from .. import forms, services
from ..forms import FIELD_ALIASES  # noqa: F401  (re-exported by complaints.views)
from ..policies import can_view_identity


@login_required
def new(request):
    if not request.user.has_permission("complaint.register"):
        raise PermissionDenied
    departments_url = reverse("complaints:departments")
    form = forms.ComplaintRegisterForm(request.POST or None, departments_url=departments_url)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            complaint = services.complaint_register(actor=request.user, **form.service_kwargs())
        if call.ok:
            messages.success(
                request,
                _("Complaint %(number)s registered.") % {"number": complaint.number},
            )
            if can_view_identity(request.user, complaint):
                # The complainant's receipt, once (docs/SECURITY.md): never shown again.
                messages.info(
                    request,
                    _(
                        "Give the complainant the tracking code %(code)s and the rating key "
                        "%(key)s. They are not shown again."
                    )
                    % {
                        "code": complaint.tracking_code,
                        "key": services.receipt_secrets(complaint)["rating_key"],
                    },
                )
            return redirect("complaints:detail", pk=complaint.pk)
    forms.bootstrap(form)
    title = _("Register a complaint")
    return render(
        request,
        "complaints/new.html",
        {
            "form": form,
            "title": title,
            "breadcrumbs": [(_("Complaints"), reverse("complaints:queue")), (title, None)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def departments(request):
    """<option>s of a unit's departments for the unit → department selects (htmx)."""
    name = next((k for k in request.GET if k == "unit" or k.endswith("-unit")), "unit")
    qs = forms.departments_of(Params(request.GET).id(name))
    return render(request, "complaints/_department_options.html", {"departments": qs})
