"""创先争优 (seed 004): party organisations linked to units, party members with their
commitments (承诺践诺), 亮身份 and 党员示范岗/先锋岗; 评星定级 with criteria and rules as data;
nominations of 先进基层党组织 / 优秀共产党员 through the accountability awards check;
领导干部联系点 with visits."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import Award, OrgKind, Post, RatingStatus, Subject

USER = settings.AUTH_USER_MODEL


class PartyOrganisation(models.Model):
    SCOPE = ScopeFields(unit="unit")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=OrgKind.choices,
                            default=OrgKind.BRANCH)  # fmt: skip
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="party_organisations", verbose_name=_("unit")
    )
    secretary = models.ForeignKey(
        "core.Person", models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("secretary"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["unit__path", "name", "id"]

    def __str__(self) -> str:
        return self.name


class PartyMember(models.Model):
    SCOPE = ScopeFields(unit="organisation__unit", person="person")

    organisation = models.ForeignKey(
        PartyOrganisation, models.PROTECT, related_name="members",
        verbose_name=_("party organisation"),
    )  # fmt: skip
    person = models.OneToOneField(
        "core.Person", models.PROTECT, related_name="party_member", verbose_name=_("person")
    )
    joined_on = models.DateField(_("joined the party on"), null=True, blank=True)
    commitment = models.TextField(_("public commitment (承诺)"), blank=True)
    fulfilment = models.TextField(_("how the commitment is kept (践诺)"), blank=True)
    shows_identity = models.BooleanField(_("shows the identity (亮身份)"), default=False)
    post = models.CharField(_("model or vanguard post"), max_length=10, choices=Post.choices,
                            blank=True, default="")  # fmt: skip
    post_name = models.CharField(_("name of the post"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["organisation_id", "person__name", "id"]

    def __str__(self) -> str:
        return self.person.name


class StarScheme(models.Model):
    """A 评星定级 scheme (星级示范窗口, 星级护士, 星级科室): criteria and level rules are data."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    subject = models.CharField(_("rates"), max_length=12, choices=Subject.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("star scheme")
        verbose_name_plural = _("star schemes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class StarCriterion(models.Model):
    scheme = models.ForeignKey(StarScheme, models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    max_score = models.DecimalField(_("full marks"), max_digits=6, decimal_places=2)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("star criterion")
        verbose_name_plural = _("star criteria")
        ordering = ["scheme_id", "position", "id"]

    def __str__(self) -> str:
        return self.name


class StarLevelRule(models.Model):
    """``stars`` are earned with a total of at least ``min_total`` and, when set, at least
    ``min_each_percent`` % of full marks on every criterion; the highest level met wins."""

    scheme = models.ForeignKey(StarScheme, models.CASCADE, related_name="levels")
    stars = models.PositiveSmallIntegerField(_("stars"))
    min_total = models.DecimalField(_("minimum total"), max_digits=7, decimal_places=2)
    min_each_percent = models.PositiveSmallIntegerField(
        _("minimum on every criterion (percent of full marks)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("star level rule")
        verbose_name_plural = _("star level rules")
        ordering = ["scheme_id", "-stars"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "stars"], name="party_star_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.stars}★"


class StarRating(models.Model):
    """One year's rating of a window, nurse or department; ``total`` and ``stars`` are
    computed from ``scores`` by the scheme's rules (never typed in)."""

    SCOPE = ScopeFields(unit="unit", department="department", person="person")

    scheme = models.ForeignKey(StarScheme, models.PROTECT, related_name="ratings",
                               verbose_name=_("star scheme"))  # fmt: skip
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    department = models.ForeignKey("core.Department", models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))  # fmt: skip
    person = models.ForeignKey("core.Person", models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("person"))  # fmt: skip
    subject_name = models.CharField(_("rated"), max_length=100)
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, default=0)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=RatingStatus.choices,
                              default=RatingStatus.DRAFT)  # fmt: skip
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "scheme_id", "-stars", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.scheme.name}: {self.subject_name}"


class PartyNomination(models.Model):
    """A 先进基层党组织 / 优秀共产党员 nomination; the decision is the accountability
    nomination's (vetoes and open cases block it)."""

    SCOPE = ScopeFields(unit="organisation__unit")

    award = models.CharField(_("award"), max_length=12, choices=Award.choices)
    organisation = models.ForeignKey(PartyOrganisation, models.PROTECT, related_name="nominations",
                                     verbose_name=_("party organisation"))  # fmt: skip
    member = models.ForeignKey(PartyMember, models.PROTECT, null=True, blank=True,
                               related_name="nominations", verbose_name=_("party member"))  # fmt: skip
    nomination = models.OneToOneField(
        "accountability.Nomination", models.PROTECT, related_name="party_nomination",
        verbose_name=_("award nomination"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("party award nomination")
        verbose_name_plural = _("party award nominations")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_award_display()}: {self.member or self.organisation}"


class ContactPoint(models.Model):
    """领导干部联系点: a leader linked to a grass-roots unit (seed 004 四、组织领导)."""

    SCOPE = ScopeFields(unit="unit", person="leader")

    leader = models.ForeignKey("core.Person", models.PROTECT, related_name="+",
                               verbose_name=_("leader"))  # fmt: skip
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+",
                             verbose_name=_("grass-roots unit"))  # fmt: skip
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("leader's contact point")
        verbose_name_plural = _("leaders' contact points")
        ordering = ["leader__name", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit"], name="party_contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.leader.name} → {self.unit.name}"


class ContactVisit(models.Model):
    SCOPE = ScopeFields(unit="point__unit", person="point__leader")

    point = models.ForeignKey(
        ContactPoint, models.CASCADE, related_name="visits", verbose_name=_("contact point")
    )
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("situation and problems found"))
    help_given = models.TextField(_("help given and suggestions"), blank=True)
    recorded_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("contact-point visit")
        verbose_name_plural = _("contact-point visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.point} {self.visited_on}"
