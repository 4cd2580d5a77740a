"""Fixed vocabularies of the complaint engine (API codes; labels are translated)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline transfer")
    WEB = "web", _("Website")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Mailbox / letter")
    VISIT = "visit", _("Visit in person")
    RECEPTION_DAY = "reception_day", _("Leader reception day")
    SUPERVISOR = "supervisor", _("Supervisor")
    MEDIA = "media", _("Media")


class Type(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    SUGGESTION = "suggestion", _("Suggestion")
    ENQUIRY = "enquiry", _("Enquiry")
    PRAISE = "praise", _("Praise")


class Matter(models.TextChoices):
    """What kind of matter decides which time rule applies (PRODUCT.md "Time rules")."""

    GENERAL = "general", _("General matter")
    MEDICAL = "medical", _("Medical complaint in a hospital")
    EFFICIENCY = "efficiency", _("Administrative efficiency complaint")
    LEADER_ASSIGNED = "leader_assigned", _("Assigned by leaders (13710)")
    DISCIPLINE_FORWARDED = "discipline_forwarded", _("Forwarded by discipline inspection")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    SIGNED = "signed", _("Signed for")
    HANDLING = "handling", _("In handling")
    PAUSED = "paused", _("Paused")
    REPLIED = "replied", _("Replied")
    VERIFIED = "verified", _("Verified")
    VISITED = "visited", _("Return visit done")
    CLOSED = "closed", _("Closed")
    # A duplicate merged into its parent case: kept and linked, but no longer handled on its own
    # (no clock, no queue); its public status and reply are the parent's (selectors.public_view).
    MERGED = "merged", _("Merged into another case")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.SIGNED,
    Status.HANDLING,
    Status.PAUSED,
    Status.REPLIED,
    Status.VERIFIED,
    Status.VISITED,
)
# States in which the resolution clock runs (the unit owes an answer).
CLOCK_STATUSES = (Status.ACCEPTED, Status.DISPATCHED, Status.SIGNED, Status.HANDLING)


class Importance(models.TextChoices):
    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")


class Verification(models.TextChoices):
    TRUE = "true", _("True")
    PARTLY_TRUE = "partly_true", _("Partly true")
    FALSE = "false", _("Not true")
    UNVERIFIABLE = "unverifiable", _("Cannot be verified")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working-day hours")
    NATURAL_DAYS = "natural_days", _("natural days")
    MONTHS = "months", _("months")


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Near deadline")
    RED = "red", _("Overdue")
    NONE = "none", _("No deadline")


# Public vocabulary for the complainant (PRODUCT.md): 已受理 / 办理中 / 已答复 / 已办结 / 不予受理.
class PublicStatus(models.TextChoices):
    # The words the public sees (issue #4): 已受理 / 办理中 / 已答复 / 已办结 / 不予受理.
    RECEIVED = "received", pgettext_lazy("public status", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("public status", "In progress")
    ANSWERED = "answered", pgettext_lazy("public status", "Answered")
    CLOSED = "closed", pgettext_lazy("public status", "Closed")
    NOT_ACCEPTED = "not_accepted", pgettext_lazy("public status", "Not accepted")


class SuggestionReason(models.TextChoices):
    """Why a possible duplicate was suggested (complaints.duplicates)."""

    PHONE = "phone", _("Same phone")
    TEXT = "text", _("Similar text")
    PHONE_TEXT = "phone_text", _("Same phone and similar text")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Dismissed")


# Input rules shared by the API and the pages (views and forms never import api.py).
MAX_CONTENT = 10000
PHONE_RE = re.compile(r"^[0-9+\-() ]{3,30}$")
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
