"""Writes of the public site. The public is anonymous: a submission is an intake by the system
(``complaint_register(actor=None, channel="web")``); what the complainant does afterwards
(rating, redo request) is done in the engine by the *public-site system actor* — an account that
cannot log in (unusable password), holding only the role ``public_site`` (complaint.verify for the
return visit, complaint.dispatch for the reopen), so the timeline and the audit log say who did it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.complaints.policies import PUBLIC_SITE_ROLE
from xiaoneng.complaints.vocab import Channel, Satisfaction, Status, Type
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.files import PUBLIC_ALLOWED, store_upload
from xiaoneng.core.models import Department, Role, StoredFile, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.snapshot import Snapshot

from .models import PublicFeedback

SYSTEM_USERNAME = "public-site"
SYSTEM_ROLE = PUBLIC_SITE_ROLE  # complaints.policies grants it the complainant's two actions
SYSTEM_PERMISSIONS = ["complaint.verify", "complaint.dispatch"]
PUBLIC_TYPES = (Type.COMPLAINT, Type.REPORT, Type.SUGGESTION)
MAX_FILES = 5
TITLE_LENGTH = 30


def system_actor_cached() -> User:
    """system_actor() kept by the process (a snapshot dropped when this process saves a user or
    a role; others re-read within a minute): the public API asks on every submission."""
    return _system_actor.get()


def system_actor() -> User:
    """The public site's account in the engine (created on first use; cannot log in)."""
    # Every public submission asks: one query once the account and its role exist.
    found = User.objects.filter(username=SYSTEM_USERNAME, roles__code=SYSTEM_ROLE).first()
    if found is not None:
        return found
    role, _created = Role.objects.get_or_create(
        code=SYSTEM_ROLE,
        defaults={
            "name": "公众网站（系统）",
            "description": "公众网站代投诉人办理评价、申请重办；不能登录",
            "permissions": SYSTEM_PERMISSIONS,
            "data_scope": "self",
            "read_only": False,
        },
    )
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=SYSTEM_USERNAME,
                    first_name="公众网站",
                    password=make_password(None),  # unusable: nobody logs in as it
                    is_active=True,
                )
        except IntegrityError:  # created concurrently
            user = User.objects.get(username=SYSTEM_USERNAME)
    if not user.roles.filter(pk=role.pk).exists():
        user.roles.add(role)
    return user


def _title_from(content: str) -> str:
    line = " ".join((content or "").split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def _store_files(uploads: Iterable) -> list[StoredFile]:
    stored = []
    for index, upload in enumerate(uploads, start=1):
        try:
            stored.append(store_upload(upload=upload, actor=None, allowed=PUBLIC_ALLOWED))
        except ValidationFailed as exc:
            name = getattr(upload, "name", "") or str(index)
            message = f"{name}: {exc.detail}"
            raise ValidationFailed(message, errors={"attachments": [message]}) from exc
    return stored


def public_submit(
    *,
    type: str,
    category: Category,
    unit: Unit,
    content: str,
    department: Department | None = None,
    title: str = "",
    anonymous: bool = True,
    name: str = "",
    phone: str = "",
    consent_publish: bool = False,
    uploads: Iterable = (),
    channel: str = Channel.WEB,
) -> Complaint:
    """A complaint or report from the public site (or the public API).

    Attachments: at most 5, each checked by content (images, PDF, audio, video), ≤ 20 MB, images
    re-encoded without EXIF. Named complainants give a name and a phone (the phone is how they
    are called back and how they track the case); anonymous ones give neither.
    """
    uploads = list(uploads)
    errors: dict[str, list[str]] = {}
    if type not in PUBLIC_TYPES:
        errors["type"] = [_("Select a valid choice.")]
    if len(uploads) > MAX_FILES:
        errors["attachments"] = [
            _("Attach at most %(n)s files.") % {"n": MAX_FILES},
        ]
    name, phone = (name or "").strip(), (phone or "").strip()
    if not anonymous:
        if not name:
            errors["name"] = [_("Give your name, or choose to complain anonymously.")]
        digits = engine.normalise_phone(phone)
        if not phone:
            errors["phone"] = [_("Give a phone number, or choose to complain anonymously.")]
        elif not 7 <= len(digits) <= 15:
            errors["phone"] = [_("Enter a valid phone number.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)
    complainant = (
        {"anonymous": True} if anonymous else {"name": name, "phone": phone, "anonymous": False}
    )
    # Atomic without a savepoint of its own: its callers (the public form, the public API with
    # its idempotency record) either start the transaction here or roll theirs back on any
    # error, so a savepoint would only add two round trips to every submission (issue #18).
    with transaction.atomic(savepoint=False):
        return engine.complaint_register(
            actor=None,
            channel=channel,
            type=type,
            category=category,
            subject_unit=unit,
            subject_department=department,
            title=(title or "").strip()[:200] or _title_from(content),
            content=content,
            complainant=complainant,
            consent_publish=bool(consent_publish),
            attachments=_store_files(uploads),
            savepoint=False,
        )


def _notify_office(complaint: Complaint, feedback: PublicFeedback) -> None:
    label = Satisfaction(feedback.satisfaction).label
    title = _("The complainant rated the answer: %(number)s (%(rating)s)") % {
        "number": complaint.number,
        "rating": label,
    }
    body = feedback.comment
    if feedback.redo_requested:
        body = _("The complainant asks for the case to be handled again.") + "\n" + body
    # Through the outbox, in the rating's transaction: never lost, never twice.
    outbox_deliver(
        lambda: engine.users_with_role("office"),
        title=title,
        body=body,
        link=engine.complaint_link(complaint),
        kind="complaint.public_feedback",
        dedup_key=f"complaint:{complaint.pk}:public_feedback",
    )


def apply_pending_rating(complaint: Complaint) -> PublicFeedback | None:
    """A rating given while the case was only replied to becomes its return visit (回访) once
    the office has verified it, so the complainant is not called to say it again."""
    if complaint.status != Status.VERIFIED or complaint.replied_at is None:
        return None
    # Only a rating of this round's answer (not one left on an earlier, reopened round).
    feedback = PublicFeedback.objects.filter(
        complaint=complaint, applied_as="", rated_at__gte=complaint.replied_at
    ).first()
    if feedback is None:
        return None
    _return_visit_from(complaint, feedback)
    return feedback


def _return_visit_from(complaint: Complaint, feedback: PublicFeedback) -> None:
    note = _("Rated by the complainant on the public site.")
    if feedback.comment:
        note = f"{note} {feedback.comment}"
    engine.complaint_return_visit(
        complaint=complaint, actor=system_actor(), satisfaction=feedback.satisfaction, note=note
    )
    _mark_applied(feedback, "return_visit")


def _mark_applied(feedback: PublicFeedback, how: str) -> None:
    PublicFeedback.objects.filter(pk=feedback.pk).update(applied_as=how)
    feedback.applied_as = how


def complainant_proved(
    complaint: Complaint, *, rating_key: str = "", phone_last4: str = ""
) -> bool:
    """The visitor holds a complainant secret beyond the tracking code: the rating key from the
    receipt, or for a named case the last four digits of the phone given (docs/SECURITY.md).
    The tracking code alone never changes a case: the unit handling it may have seen it."""
    if rating_key and engine.rating_key_matches(complaint, rating_key):
        return True
    return bool(phone_last4) and engine.tracking_matches(complaint, phone_last4)


@transaction.atomic
def public_rate(
    *,
    complaint: Complaint,
    satisfaction: str,
    comment: str = "",
    redo: bool = False,
    rating_key: str = "",
    phone_last4: str = "",
) -> PublicFeedback:
    """The complainant rates the answer once (满意 / 基本满意 / 不满意) and, when unsatisfied, may
    ask for a redo (重办). It feeds the engine:

    - a verified case (属实核查 done) gets its return visit (``complaint_return_visit``) from the
      rating; unsatisfied → the engine's redo with a fresh clock;
    - an already visited or closed case asked to be redone is reopened (``complaint_reopen``);
    - a case only replied to (the office has not verified it yet) keeps the rating, which becomes
      its return visit when the office verifies it (``apply_pending_rating``).
    The office is told of every rating. The visitor must hold a second complainant secret
    (``complainant_proved``): the rating key from the receipt, or the phone's last four digits.
    """
    if not complainant_proved(complaint, rating_key=rating_key, phone_last4=phone_last4):
        raise ValidationFailed(
            _("The rating key does not match this case."),
            errors={"rating_key": [_("Enter the rating key printed on your receipt.")]},
        )
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(
            _("Please correct the errors below."),
            errors={"satisfaction": [_("Select a valid choice.")]},
        )
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status not in (Status.REPLIED, Status.VERIFIED, Status.VISITED, Status.CLOSED):
        raise Conflict(_("The case can be rated once it has been answered."))
    comment = (comment or "").strip()[:2000]
    redo = bool(redo) and satisfaction == Satisfaction.UNSATISFIED
    try:
        with transaction.atomic():
            feedback = PublicFeedback.objects.create(
                complaint=complaint,
                satisfaction=satisfaction,
                comment=comment,
                rated_at=clock.now(),
                redo_requested=redo,
            )
    except IntegrityError:
        raise Conflict(_("This case has already been rated.")) from None
    audit.record("create", feedback, after=audit.snapshot(feedback))

    if complaint.status == Status.VERIFIED:
        _return_visit_from(complaint, feedback)
    elif redo and complaint.status in (Status.VISITED, Status.CLOSED):
        reason = _("The complainant is not satisfied and asks for the case to be handled again.")
        engine.complaint_reopen(
            complaint=complaint, actor=system_actor(), reason=f"{reason} {comment}".strip()
        )
        _mark_applied(feedback, "reopen")
    _notify_office(complaint, feedback)
    return feedback


_system_actor = Snapshot(system_actor, models=("core.User", "core.Role"))
