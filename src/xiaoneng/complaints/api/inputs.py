"""What the complaint API accepts: the registration and the input of each workflow action."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoneng.core import clock
from xiaoneng.core.models import Department, Person, StoredFile, Unit
from xiaoneng.core.selectors import people_for
from xiaoneng.core.snapshot import Snapshot

from ..models import Category
from ..vocab import (
    ID_NUMBER_RE,
    MAX_CONTENT,
    PHONE_RE,
    Channel,
    Importance,
    Matter,
    Satisfaction,
    Type,
    Verification,
)


# The active categories and units, kept by each process (core.snapshot: dropped when this
# process saves or deletes one, re-read by the others within a minute): every submission names
# one of each, and looking them up was two of its round trips (issue #18).
def _active(model, key: str) -> dict:
    return {str(getattr(row, key)): row for row in model.objects.filter(is_active=True)}


active_categories = Snapshot(lambda: _active(Category, "code"), models=("complaints.Category",))
active_units = Snapshot(lambda: _active(Unit, "pk"), models=("core.Unit",))


class ActiveCategoryField(serializers.SlugRelatedField):
    """A category code, checked against the process's snapshot of the active categories."""

    def to_internal_value(self, data):
        found = active_categories.get().get(str(data)) if isinstance(data, str | int) else None
        if found is None:
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data))
        return found


class ActiveUnitField(serializers.PrimaryKeyRelatedField):
    """A unit id, checked against the process's snapshot of the active units."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = active_units.get().get(str(pk))
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found


class ComplainantInputSerializer(serializers.Serializer):
    """Who complained; without a name and a phone the complaint is registered as anonymous."""

    anonymous = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_phone(self, value: str) -> str:
        if value and not PHONE_RE.match(value):
            raise serializers.ValidationError(_("Enter a valid phone number."))
        return value

    def validate_id_number(self, value: str) -> str:
        if value and not ID_NUMBER_RE.match(value):
            raise serializers.ValidationError(
                _("Enter a valid ID card number (15 or 18 characters).")
            )
        return value.upper()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 100}]})
class SubjectPersonField(serializers.Field):
    """A person id (integer) or a free-text name (string)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a person id (number) or a name (text)."),
        "unknown": gettext_lazy("Unknown person."),
        "too_long": gettext_lazy("Ensure this field has no more than 100 characters."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            person = Person.objects.filter(pk=data, is_active=True).select_related("unit").first()
            if person is None:
                self.fail("unknown")
            return person
        if isinstance(data, str):
            name = data.strip()
            if len(name) > 100:
                self.fail("too_long")
            return name
        self.fail("invalid")

    def to_representation(self, value):
        return value.pk if isinstance(value, Person) else value


class ComplaintCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    type = serializers.ChoiceField(choices=Type.choices)
    # From the process's snapshots, as the public intake (issue #18: two round trips fewer).
    category = ActiveCategoryField(
        slug_field="code", queryset=Category.objects.filter(is_active=True)
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    unit = ActiveUnitField(queryset=Unit.objects.filter(is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    subject_person = SubjectPersonField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=MAX_CONTENT)
    importance = serializers.ChoiceField(choices=Importance.choices, default=Importance.NORMAL)
    matter = serializers.ChoiceField(choices=Matter.choices, default=Matter.GENERAL)
    price_related = serializers.BooleanField(default=False)
    complex_matter = serializers.BooleanField(default=False)
    multi_department = serializers.BooleanField(default=False)
    external_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    consent_publish = serializers.BooleanField(default=False)
    files = serializers.PrimaryKeyRelatedField(
        queryset=StoredFile.objects.all(), many=True, required=False, default=list
    )
    complainant = ComplainantInputSerializer()

    def validate_received_at(self, value):
        if value is not None and value > clock.now():
            raise serializers.ValidationError(_("The time received cannot be in the future."))
        return value

    def validate_files(self, value):
        user = self.context["request"].user
        if any(f.uploaded_by_id != user.pk for f in value):
            raise serializers.ValidationError(_("Only files you uploaded can be attached."))
        return value

    def validate(self, attrs):
        errors: dict[str, list[str]] = {}
        unit = attrs["unit"]
        department = attrs.get("department")
        if department is not None and department.unit_id != unit.pk:
            errors["department"] = [_("This department does not belong to the unit.")]
        person = attrs.get("subject_person")
        if isinstance(person, Person) and not person.unit.path.startswith(unit.path):
            errors["subject_person"] = [_("This person does not work in the unit.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def service_kwargs(self) -> dict:
        """validated_data → the keyword arguments of services.complaint_register."""
        data = dict(self.validated_data)
        person = data.pop("subject_person", None)
        return {
            "channel": data["channel"],
            "type": data["type"],
            "category": data["category"],
            "subject_unit": data["unit"],
            "subject_department": data.get("department"),
            "subject_person": person if isinstance(person, Person) else None,
            "subject_person_name": person if isinstance(person, str) else "",
            "title": data["title"],
            "content": data["content"],
            "received_at": data.get("received_at"),
            "matter": data["matter"],
            "importance": data["importance"],
            "price_related": data["price_related"],
            "complex_matter": data["complex_matter"],
            "multi_department": data["multi_department"],
            "external_ref": data["external_ref"],
            "consent_publish": data["consent_publish"],
            "complainant": dict(data["complainant"]),
            "attachments": list(data["files"]),
        }


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DispatchSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        department = attrs.get("department")
        if department is not None and department.unit_id != attrs["unit"].pk:
            raise serializers.ValidationError(
                {"department": [_("This department does not belong to the unit.")]}
            )
        return attrs


class AssignSerializer(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["handler"].queryset = people_for(request.user).filter(is_active=True)


class ReplySerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_CONTENT)
    to_supervisor = serializers.BooleanField(default=False)


@extend_schema_field({"$ref": "#/components/schemas/VerificationEnum"})
class VerificationResultField(serializers.ChoiceField):
    """The same choice set as Complaint.verification (component VerificationEnum): a reference
    keeps the schema free of a second enum name for it."""


class VerifySerializer(serializers.Serializer):
    result = VerificationResultField(choices=Verification.choices)


class ReturnVisitSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=120)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
