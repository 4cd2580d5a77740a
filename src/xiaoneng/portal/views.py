"""Pages of the public site (/public/): home, submit a complaint or report, tracking, rating.

No login. Tracking is protected by the tracking code (+ the last four digits of the phone for
named cases) and a per-IP rate limit; a case that was found is remembered in the visitor's
session, so the case page and the rating form work only for whoever looked it up.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from xiaoneng.complaints import services as engine
from xiaoneng.core import ratelimit
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.htmlerrors import service_call

from . import captcha, selectors, services
from .forms import RateForm, SubmitForm, TrackForm

TRACKED_KEY = "portal_tracked"
SUBMITTED_KEY = "portal_submitted"
# Second complainant secrets this visitor has shown, by tracking code: {"key": rating key} after
# submitting or typing it, {"last4": digits} after tracking a named case (docs/SECURITY.md).
PROOFS_KEY = "portal_proofs"
MAX_TRACKED = 20


def _too_many(request, template: str, context: dict, decision) -> HttpResponse:
    context["rate_limited"] = decision.retry_after
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(decision.retry_after)
    return response


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "channels": selectors.channels(),
            "standards": selectors.standards(),
            "commitments": selectors.commitments(limit=20),
        },
    )


@never_cache
def captcha_image(request):
    return HttpResponse(captcha.issue(request), content_type="image/png")


@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "POST":
        decision = ratelimit.hit("public_submit", ratelimit.request_key(request))
        if not decision.allowed:
            # Not validated (that would use up the captcha); the typed text is kept.
            kept = SubmitForm(request=request, initial=request.POST.dict())
            return _too_many(request, "portal/submit.html", {"form": kept}, decision)
        form = SubmitForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            data = form.cleaned_data
            with service_call(request, form=form) as call:
                complaint = services.public_submit(
                    type=data["type"],
                    category=data["category"],
                    unit=data["unit"],
                    department=data.get("department"),
                    title=data.get("title", ""),
                    content=data["content"],
                    anonymous=bool(data.get("anonymous")),
                    name=data.get("name", ""),
                    phone=data.get("phone", ""),
                    consent_publish=bool(data.get("consent_publish")),
                    uploads=data.get("attachments") or [],
                )
            if call.ok:
                secrets = engine.receipt_secrets(complaint)
                request.session[SUBMITTED_KEY] = {
                    "number": complaint.number,
                    "tracking_code": complaint.tracking_code,
                    "rating_key": secrets["rating_key"],
                    "time_limit": selectors.time_limit_text(complaint),
                    "anonymous": complaint.anonymous,
                }
                _remember(request, complaint.tracking_code)
                _prove(request, complaint.tracking_code, key=secrets["rating_key"])
                return redirect("portal:submitted")
    else:
        form = SubmitForm(request=request, initial={"type": request.GET.get("type") or "complaint"})
    return render(request, "portal/submit.html", {"form": form})


@never_cache
def submitted(request):
    data = request.session.get(SUBMITTED_KEY)
    if not data:
        return redirect("portal:submit")
    return render(request, "portal/submitted.html", {"case": data})


def _remember(request, code: str) -> None:
    tracked = [c for c in request.session.get(TRACKED_KEY, []) if c != code]
    request.session[TRACKED_KEY] = [code, *tracked][:MAX_TRACKED]


def _tracked(request, code: str) -> bool:
    return code in request.session.get(TRACKED_KEY, [])


def _prove(request, code: str, **proof: str) -> None:
    proofs = dict(request.session.get(PROOFS_KEY, {}))
    proofs.pop(code, None)
    proofs[code] = {**proof}
    request.session[PROOFS_KEY] = dict(list(proofs.items())[-MAX_TRACKED:])


def _proof(request, code: str) -> dict:
    return request.session.get(PROOFS_KEY, {}).get(code) or {}


@require_http_methods(["GET", "POST"])
def track(request):
    """The lookup form: code (+ phone digits for named cases). Wrong code and wrong digits get
    the same answer, so the form does not tell which codes exist."""
    if request.method == "POST":
        form = TrackForm(request.POST)
        decision = ratelimit.hit("public_track", ratelimit.request_key(request))
        if not decision.allowed:
            return _too_many(request, "portal/track.html", {"form": form}, decision)
        if form.is_valid():
            code = form.cleaned_data["code"]
            complaint = selectors.find_case(code)
            digits = form.cleaned_data["phone_last4"]
            named = complaint is not None and selectors.needs_phone(complaint)
            if complaint is not None and (not named or engine.tracking_matches(complaint, digits)):
                _remember(request, complaint.tracking_code)
                if named:
                    _prove(request, complaint.tracking_code, last4=digits)
                return redirect("portal:case", code=complaint.tracking_code)
            form.add_error(
                None,
                _(
                    "No case matches this tracking code and phone digits. Check them and try "
                    "again; named cases need the last 4 digits of the phone you gave."
                ),
            )
    else:
        form = TrackForm(initial={"code": request.GET.get("code", "")})
    return render(request, "portal/track.html", {"form": form})


@never_cache
def case(request, code: str):
    code = code.strip().upper()
    complaint = selectors.find_case(code) if _tracked(request, code) else None
    if complaint is None:
        return redirect(reverse("portal:track") + f"?code={code}")
    view = selectors.public_case(complaint)
    needs_key = not _proof(request, code)
    return render(
        request,
        "portal/case.html",
        {"case": view, "rate_form": RateForm(needs_key=needs_key) if view.rateable else None},
    )


@require_POST
def rate(request, code: str):
    code = code.strip().upper()
    complaint = selectors.find_case(code) if _tracked(request, code) else None
    if complaint is None:
        return redirect(reverse("portal:track") + f"?code={code}")
    decision = ratelimit.hit("public_feedback", ratelimit.request_key(request))
    if not decision.allowed:
        return ratelimit.too_many_requests(decision)
    proof = _proof(request, code)
    form = RateForm(request.POST, needs_key=not proof)
    if form.is_valid():
        typed = form.cleaned_data.get("rating_key", "")
        with service_call(request, form=form, forbidden="message") as call:
            services.public_rate(
                complaint=complaint,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
                redo=form.cleaned_data["redo"],
                rating_key=typed or proof.get("key", ""),
                phone_last4=proof.get("last4", ""),
            )
        if call.error is not None and not isinstance(call.error, ValidationFailed):
            return redirect("portal:case", code=code)
        if call.ok:
            if typed:
                _prove(request, code, key=typed)
            messages.success(request, _("Thank you. Your rating has been recorded."))
            return redirect("portal:case", code=code)
    view = selectors.public_case(complaint)
    return render(request, "portal/case.html", {"case": view, "rate_form": form}, status=400)
