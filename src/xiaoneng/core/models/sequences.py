from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """One gap-free counter per key and year (core.numbering.next_value): the last number given.

    Keys are namespaced by app (``rectification.issue``, ``inspections.order`` …); the row is
    locked by the ``UPDATE … RETURNING`` that hands out a number until the transaction ends.
    """

    key = models.CharField(_("key"), max_length=40)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="number_sequence_once")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"
