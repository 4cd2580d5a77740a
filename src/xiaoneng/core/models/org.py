"""Organisation: the unit tree, departments (科室/股室) and people."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scopefields import ScopeFields


class Unit(models.Model):
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Health bureau")
        HOSPITAL = "hospital", _("General hospital")
        TCM_HOSPITAL = "tcm_hospital", _("TCM hospital")
        MCH_HOSPITAL = "mch_hospital", _("Maternal and child health hospital")
        CDC = "cdc", _("Center for disease control")
        SUPERVISION = "supervision", _("Health supervision institute")
        EMERGENCY = "emergency", _("Emergency centre")
        TOWNSHIP = "township", _("Township health centre")
        COMMUNITY = "community", _("Community health service centre")
        VILLAGE = "village", _("Village clinic")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    code = models.CharField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.COUNTY)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    # Materialised path "/1/7/23/" so "this unit and below" is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_window = models.BooleanField(_("window unit"), default=False)
    principal = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="principal_of",
        verbose_name=_("principal leader"),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE = ScopeFields(unit="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", _("Clinical")
        MEDTECH = "medtech", _("Medical-technical")
        ADMIN = "admin", _("Administrative")
        WINDOW = "window", _("Service window")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="departments", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.ADMIN)
    phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    head = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="head_of",
        verbose_name=_("department head"),
    )
    leader_in_charge = models.ForeignKey(
        "Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="oversees",
        verbose_name=_("leader in charge"),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE = ScopeFields(unit="unit", department="")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit__path", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="department_unique_name_in_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit.short_name or self.unit.name}·{self.name}"


class Person(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    class Political(models.TextChoices):
        CPC = "cpc", _("CPC member")
        PROBATIONARY = "probationary", _("CPC probationary member")
        LEAGUE = "league", _("Youth League member")
        OTHER_PARTY = "other_party", _("Democratic party member")
        MASSES = "masses", _("Masses")

    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="people", verbose_name=_("unit"))
    departments = models.ManyToManyField(
        Department, blank=True, related_name="members", verbose_name=_("departments")
    )
    employee_no = models.CharField(_("employee number"), max_length=50, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=50, blank=True)
    title = models.CharField(_("professional title"), max_length=50, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=20, choices=Political.choices, default=Political.MASSES
    )
    is_active = models.BooleanField(_("active"), default=True)

    SCOPE = ScopeFields(unit="unit", department="departments", person="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        return self.name
