"""What the complaint API returns: the case (never the identity), its timeline, the
protected identity, the registration receipt."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoneng.core import clock

from .. import policies, selectors, services, sla
from ..models import Category, Complaint, ComplaintEvent, SlaPolicy
from ..vocab import Light, Satisfaction, Verification

PROTECTED_NOTICE = "投诉人信息已依规保护"


def complainant_block(complaint: Complaint, user) -> dict:
    """What list and detail say about the complainant: never the identity itself."""
    if policies.can_view_identity(user, complaint):
        return {"anonymous": complaint.anonymous, "protected": False, "notice": ""}
    return {"anonymous": complaint.anonymous, "protected": True, "notice": PROTECTED_NOTICE}


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "group"]


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SlaPolicyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "code", "name"]


class ComplainantBlockSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    protected = serializers.BooleanField()
    notice = serializers.CharField(allow_blank=True)


class ReceiptSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    rating_key = serializers.CharField(
        help_text="Needed with the tracking code to rate an anonymous case on the public site."
    )


class ComplaintSerializer(serializers.ModelSerializer):
    category = CategorySerializer()
    subject_unit = RefSerializer()
    subject_department = RefSerializer(allow_null=True)
    subject_person = RefSerializer(allow_null=True)
    unit = RefSerializer(allow_null=True)
    department = RefSerializer(allow_null=True)
    handler = RefSerializer(allow_null=True)
    first_inquiry_person = RefSerializer(allow_null=True)
    sla_policy = SlaPolicyRefSerializer(allow_null=True)
    overdue = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()
    receipt = serializers.SerializerMethodField(
        help_text="The complainant's receipt (tracking code, rating key): only in the "
        "registration response, and only for a registrar who may read the identity; null "
        "everywhere else (a named complainant then gets the tracking code by SMS)."
    )
    # "" until the case is verified / rated: read-only fields lose allow_blank unless declared.
    verification = serializers.ChoiceField(Verification.choices, allow_blank=True, read_only=True)
    satisfaction = serializers.ChoiceField(Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "channel",
            "type",
            "category",
            "matter",
            "importance",
            "price_related",
            "complex_matter",
            "multi_department",
            "received_at",
            "registered_at",
            "subject_unit",
            "subject_department",
            "subject_person",
            "subject_person_name",
            "title",
            "content",
            "external_ref",
            "complainant",
            "unit",
            "department",
            "first_inquiry_person",
            "handler",
            "escalation_level",
            "sla_policy",
            "sla_override_reason",
            "clock_started_at",
            "sign_by",
            "feedback_by",
            "resolve_by",
            "deadline_uncertain",
            "overdue",
            "light",
            "paused_at",
            "extension_count",
            "signed_at",
            "overdue_since",
            "redo_count",
            "reject_reason",
            "reply",
            "replied_at",
            "reported_to_supervisor",
            "verification",
            "satisfaction",
            "closed_at",
            "express_reported_at",
            "updated_at",
            "receipt",
        ]
        read_only_fields = fields

    def _now(self):
        now = self.context.get("now")
        if now is None:
            now = self.context["now"] = clock.now()
        return now

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj, self._now())

    @extend_schema_field(serializers.ChoiceField(choices=Light.choices))
    def get_light(self, obj) -> str:
        return str(sla.light(obj, self._now()))

    @extend_schema_field(ComplainantBlockSerializer)
    def get_complainant(self, obj) -> dict:
        return complainant_block(obj, self.context["request"].user)

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, obj) -> dict | None:
        return self.context.get("receipt")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not policies.reads_internal(self.context["request"].user, instance):
            data["sla_override_reason"] = ""  # an internal note (policies.reads_internal)
        return data


class TimelineEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintEvent
        fields = ["id", "at", "action", "actor_name", "from_status", "to_status", "note", "public"]


def registration_receipt(user, complaint: Complaint) -> dict | None:
    """The complainant secrets, once, in the registration response (docs/SECURITY.md)."""
    if not policies.can_view_identity(user, complaint):
        return None
    return services.receipt_secrets(complaint)


class IdentitySerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    tracking_code = serializers.CharField(
        help_text="A complainant secret: only here (audited) and on the complainant's receipt."
    )
    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    id_number = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)
