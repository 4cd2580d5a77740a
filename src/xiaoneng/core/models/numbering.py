from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """The last number handed out for a key (e.g. a unit's document kind) in a year."""

    key = models.CharField(_("key"), max_length=120)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="core_numberseq_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"
