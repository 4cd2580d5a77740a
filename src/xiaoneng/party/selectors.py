"""Scoped reads of 创先争优."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from xiaoneng.accountability.selectors import visible_findings
from xiaoneng.core.scope import get_scoped_or_404, scoped

from .models import (
    ContactPoint,
    PartyMember,
    PartyNomination,
    PartyOrganisation,
    StarRating,
    StarScheme,
)

__all__ = ["visible_findings"]


def organisations_for(user) -> QuerySet[PartyOrganisation]:
    return (
        scoped(user, PartyOrganisation)
        .select_related("unit", "secretary")
        .annotate(member_count=Count("members"))
        .order_by("unit__path", "name", "id")
    )


def get_organisation(user, pk: int) -> PartyOrganisation:
    return get_scoped_or_404(
        user, PartyOrganisation.objects.select_related("unit", "secretary"), pk=pk
    )


def members_of(organisation: PartyOrganisation) -> QuerySet[PartyMember]:
    return organisation.members.select_related("person", "person__unit")


def members_for(user) -> QuerySet[PartyMember]:
    return scoped(user, PartyMember).select_related("person", "organisation", "organisation__unit")


def get_member(user, pk: int) -> PartyMember:
    return get_scoped_or_404(
        user, PartyMember.objects.select_related("person", "organisation__unit"), pk=pk
    )


def schemes() -> QuerySet[StarScheme]:
    return StarScheme.objects.filter(is_active=True).prefetch_related("criteria", "levels")


def ratings_for(user) -> QuerySet[StarRating]:
    return scoped(user, StarRating).select_related("scheme", "unit", "department", "person")


def get_rating(user, pk: int) -> StarRating:
    return get_scoped_or_404(user, StarRating.objects.select_related("scheme", "unit"), pk=pk)


def nominations_for(user) -> QuerySet[PartyNomination]:
    if user.has_permission("award.decide"):
        qs = PartyNomination.objects.all()
    else:
        qs = scoped(user, PartyNomination)
    return qs.select_related("organisation", "organisation__unit", "member__person", "nomination")


def get_nomination(user, pk: int) -> PartyNomination:
    nomination = nominations_for(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def contacts_for(user) -> QuerySet[ContactPoint]:
    return (
        scoped(user, ContactPoint)
        .select_related("leader", "unit")
        .annotate(visit_count=Count("visits"))
        .order_by("leader__name", "unit__path", "id")
    )


def get_contact(user, pk: int) -> ContactPoint:
    return get_scoped_or_404(user, ContactPoint.objects.select_related("leader", "unit"), pk=pk)
