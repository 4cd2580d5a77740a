"""Fixed vocabularies of the evaluations app (API codes; labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfied / basically satisfied / unsatisfied")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale 1–5")
    TEXT = "text", _("Free text")


class Satisfaction(models.TextChoices):
    """The standard question's answers (seed 003 五个一, PRODUCT.md 14)."""

    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    TOKEN = "token", _("One-time link")
    OPEN_LINK = "open", _("Open link")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Voting")
    CLOSED = "closed", _("Closed")


class SubjectKind(models.TextChoices):
    UNIT = "unit", pgettext_lazy("the units themselves", "Units")  # 单位 (not the menu's 单位管理)
    PERSON = "person", _("Posts and people")


class Measure(models.TextChoices):
    REMINDER_LETTER = "reminder_letter", _("Reminder letter")
    ADMONISHING_TALK = "admonishing_talk", _("Admonishing talk")
    REMOVAL = "removal", _("Removal from post or dismissal")
    COMMENDATION = "commendation", _("Public commendation")
    RECTIFICATION = "rectification", _("Rectification within a deadline")


class RankingEnd(models.TextChoices):
    TOP = "top", _("Top of the ranking")
    BOTTOM = "bottom", _("Bottom of the ranking")


class ConsequenceSource(models.TextChoices):
    LADDER = "ladder", _("Consecutive poor results")
    RANKING = "ranking", _("Ranking")


class ConsequenceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


class EthicsGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class EthicsStatus(models.TextChoices):
    OPEN = "open", _("Being evaluated")
    GRADED = "graded", _("Graded")


class EthicsStage(models.TextChoices):
    SELF = "self", _("Self-evaluation")
    DEPARTMENT = "department", _("Department evaluation")
    UNIT = "unit", _("Unit evaluation")
