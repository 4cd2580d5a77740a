from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from ..models import Department, Person, Unit, User
from .fields import ScopedDepartmentField, ScopedPersonField, ScopedUnitField


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(
            request._request, username=attrs["username"], password=attrs["password"]
        )
        if user is None:
            outcome = getattr(request._request, "login_outcome", "")
            if outcome == "throttled":
                wait = getattr(request._request, "login_retry_after", 60)
                raise exceptions.Throttled(wait=wait, detail=_("Too many failed attempts."))
            if outcome == "locked":
                msg = _("This account has been locked by an administrator.")
            else:
                msg = _("Wrong user name or password.")
            raise serializers.ValidationError({"password": [msg]})
        if user.must_change_password:
            msg = _("Change your password in the web interface before using the API.")
            raise serializers.ValidationError({"password": [msg]})
        attrs["user"] = user
        return attrs


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "code"]


class UnitSerializer(serializers.ModelSerializer):
    # Related ids are looked up inside the writer's scope: another unit's id reads as missing.
    # (``parent`` is declared in get_fields: as a class attribute it would shadow Field.parent.)
    principal = ScopedPersonField(allow_null=True, required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["parent"] = ScopedUnitField(allow_null=True, required=False)
        return fields

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "level",
            "parent",
            "depth",
            "phone",
            "address",
            "is_window",
            "principal",
            "sort_order",
            "is_active",
        ]
        read_only_fields = ["id", "depth"]


class DepartmentSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    head = ScopedPersonField(allow_null=True, required=False)
    leader_in_charge = ScopedPersonField(allow_null=True, required=False)

    class Meta:
        model = Department
        fields = [
            "id",
            "unit",
            "name",
            "kind",
            "phone",
            "head",
            "leader_in_charge",
            "sort_order",
            "is_active",
        ]
        read_only_fields = ["id"]


class PersonSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    departments = ScopedDepartmentField(many=True, required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "unit",
            "departments",
            "employee_no",
            "gender",
            "phone",
            "position",
            "title",
            "political_status",
            "is_active",
        ]
        read_only_fields = ["id"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    unit = UnitRefSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    data_scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "person", "unit", "roles", "permissions", "data_scope"]

    def get_roles(self, user) -> list[str]:
        return [r.code for r in user.roles.all()]

    def get_permissions(self, user) -> list[str]:
        return sorted(user.permission_codes())

    def get_data_scope(self, user) -> list[str]:
        return sorted({r.data_scope for r in user.roles.all()})
