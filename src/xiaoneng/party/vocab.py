"""Choices of 创先争优 (seed 004; no logic)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")  # 党委
    GENERAL = "general", _("General branch")  # 党总支
    BRANCH = "branch", _("Party branch")  # 党支部


class Post(models.TextChoices):
    NONE = "", _("None")
    MODEL = "model", _("Party member model post")  # 党员示范岗
    VANGUARD = "vanguard", _("Party member vanguard post")  # 党员先锋岗


class Subject(models.TextChoices):
    """What a star scheme rates (seed 004: 星级示范窗口、星级护士评比)."""

    WINDOW = "window", _("Service window")
    NURSE = "nurse", _("Nurse")
    DEPARTMENT = "department", _("Department")


class RatingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


class Award(models.TextChoices):
    """Seed 004: 先进基层党组织“五个好”、优秀共产党员“五带头”."""

    ORGANISATION = "organisation", _("Advanced grass-roots party organisation")
    MEMBER = "member", _("Outstanding Communist Party member")


AWARD_NAMES = {Award.ORGANISATION: "先进基层党组织", Award.MEMBER: "优秀共产党员"}
