"""Serializer fields every app's API shares: scoped foreign keys and the caller's own files."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Department, Person, StoredFile, Unit
from ..scope import scoped


def request_user(field):
    return field.context["request"].user


@extend_schema_field(OpenApiTypes.INT)
class OwnFileField(serializers.PrimaryKeyRelatedField):
    """A StoredFile id the caller uploaded (API.md: upload first, then reference by id)."""

    def get_queryset(self):
        user = request_user(self)
        qs = StoredFile.objects.all()
        return qs if user.is_superuser else qs.filter(uploaded_by=user)


def files_field(**kwargs):
    return OwnFileField(many=True, required=False, default=list, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    """A unit inside the caller's data scope; any other id reads as "does not exist"."""

    def get_queryset(self):
        return scoped(request_user(self), Unit).filter(is_active=True)


@extend_schema_field(OpenApiTypes.INT)
class ScopedDepartmentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scoped(request_user(self), Department).select_related("unit")


@extend_schema_field(OpenApiTypes.INT)
class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scoped(request_user(self), Person).select_related("unit")


class StoredFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="Download (GET, same authorisation).")

    class Meta:
        model = StoredFile
        fields = ["id", "name", "size", "content_type", "url"]

    def get_url(self, obj) -> str:
        return reverse("api-file", args=[obj.pk])
