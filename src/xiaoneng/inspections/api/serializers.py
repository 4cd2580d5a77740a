"""Serializers of the inspection API: output shapes and small input serializers per action."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.core.api.fields import (
    OwnFileField,
    ScopedDepartmentField,
    ScopedUnitField,
    StoredFileSerializer,
    files_field,
)
from xiaoneng.core.models import Person
from xiaoneng.core.scope import scoped
from xiaoneng.rectification.vocab import Decision
from xiaoneng.selfcheck.models import ChecklistItem, ChecklistTemplate

from ..models import (
    Bulletin,
    BulletinEntry,
    BulletinResponse,
    Evidence,
    Finding,
    InspectionPlan,
    SupervisionOrder,
    Visit,
    VisitAnswer,
)
from ..vocab import (
    AnswerResult,
    BulletinStatus,
    FindingSeverity,
    LookbackResult,
    OrderStatus,
    PlanKind,
    PlanStatus,
    ResponseKind,
    VisitStatus,
)


class InspectionChoiceField(serializers.ChoiceField):
    """A choice field with a fixed schema component name (generic names never clash)."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class InspectionChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InspectionChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        return schema


def choice(choices, name: str, **kw) -> InspectionChoiceField:
    return InspectionChoiceField(choices, enum_name=name, **kw)


class InspectionPersonSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "name", "unit"]


@extend_schema_field(OpenApiTypes.INT)
class AnyPersonField(serializers.PrimaryKeyRelatedField):
    """Inspectors and team members come from any unit (that is the point of 回避)."""

    def get_queryset(self):
        return Person.objects.filter(is_active=True).select_related("unit")


# --- plans ---------------------------------------------------------------------------------------
class InspectionPlanSerializer(serializers.ModelSerializer):
    kind = choice(PlanKind.choices, "InspectionPlanKindEnum", read_only=True)
    status = choice(PlanStatus.choices, "InspectionPlanStatusEnum", read_only=True)
    units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    team = InspectionPersonSerializer(many=True, read_only=True)
    inspector_pool = InspectionPersonSerializer(many=True, read_only=True)

    class Meta:
        model = InspectionPlan
        fields = ["id", "name", "kind", "campaign", "starts_on", "ends_on", "units", "template",
                  "team", "inspector_pool", "unit_count", "stratify", "inspector_count",
                  "lookback_of", "seed", "drawn_at", "status", "created_at"]  # fmt: skip
        read_only_fields = fields


class InspectionPlanCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = choice(PlanKind.choices, "InspectionPlanKindEnum")
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    units = ScopedUnitField(many=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistTemplate.objects.filter(is_active=True), required=False, allow_null=True
    )
    team = AnyPersonField(many=True, required=False, default=list)
    inspector_pool = AnyPersonField(many=True, required=False, default=list)
    unit_count = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    stratify = serializers.BooleanField(required=False, default=False)
    inspector_count = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    lookback_of = serializers.PrimaryKeyRelatedField(
        queryset=InspectionPlan.objects.all(), required=False, allow_null=True
    )


class InspectionDrawSerializer(serializers.Serializer):
    seed = serializers.IntegerField(min_value=0, max_value=2**53 - 1, required=False)


# --- visits --------------------------------------------------------------------------------------
class InspectionEvidenceSerializer(serializers.ModelSerializer):
    file = StoredFileSerializer(read_only=True)
    media = serializers.CharField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "file", "media", "captured_at", "latitude", "longitude"]


class VisitAnswerSerializer(serializers.ModelSerializer):
    result = choice(AnswerResult.choices, "InspectionAnswerResultEnum")

    class Meta:
        model = VisitAnswer
        fields = ["item", "result", "note"]


class InspectionVisitSerializer(serializers.ModelSerializer):
    status = choice(VisitStatus.choices, "InspectionVisitStatusEnum", read_only=True)
    kind = choice(PlanKind.choices, "InspectionPlanKindEnum", source="plan.kind", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    team = InspectionPersonSerializer(many=True, read_only=True)
    answers = VisitAnswerSerializer(many=True, read_only=True)
    evidence = InspectionEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["id", "plan", "kind", "unit", "unit_name", "scheduled_on", "team", "position",
                  "status", "summary", "latitude", "longitude", "location_accuracy", "visited_at",
                  "published_at", "answers", "evidence"]  # fmt: skip
        read_only_fields = fields


class InspectionVisitCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    unit = ScopedUnitField()
    scheduled_on = serializers.DateField()
    team = AnyPersonField(many=True)


class InspectionCaptureSerializer(serializers.Serializer):
    file = OwnFileField()
    captured_at = serializers.DateTimeField(required=False, allow_null=True)


class VisitAnswerInputSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())
    result = choice(AnswerResult.choices, "InspectionAnswerResultEnum")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VisitRecordSerializer(serializers.Serializer):
    answers = VisitAnswerInputSerializer(many=True, required=False, default=list)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False,
                                        allow_null=True)  # fmt: skip
    longitude = serializers.DecimalField(max_digits=12, decimal_places=8, required=False,
                                         allow_null=True)  # fmt: skip
    accuracy = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    files = InspectionCaptureSerializer(many=True, required=False, default=list)


class VisitLookbackSerializer(serializers.Serializer):
    finding = serializers.IntegerField()
    result = choice(LookbackResult.choices, "InspectionLookbackResultEnum")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- findings and orders -------------------------------------------------------------------------
class InspectionFindingSerializer(serializers.ModelSerializer):
    severity = choice(FindingSeverity.choices, "InspectionFindingSeverityEnum", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    issue_number = serializers.CharField(source="issue.number", read_only=True, default=None)
    order = serializers.SerializerMethodField()
    people = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = InspectionEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "visit", "unit", "unit_name", "department", "category", "severity",
                  "title", "description", "people", "checklist_item", "issue", "issue_number",
                  "order", "found_at", "evidence"]  # fmt: skip
        read_only_fields = fields

    def get_order(self, obj) -> int | None:
        order = getattr(obj, "order", None) if hasattr(obj, "order") else None
        return order.pk if order is not None else None


class InspectionFindingCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    severity = choice(FindingSeverity.choices, "InspectionFindingSeverityEnum", required=False,
                      default=FindingSeverity.GENERAL)  # fmt: skip
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False, allow_null=True
    )
    department = ScopedDepartmentField(required=False, allow_null=True)
    people = AnyPersonField(many=True, required=False, default=list)
    files = InspectionCaptureSerializer(many=True, required=False, default=list)


class SupervisionOrderSerializer(serializers.ModelSerializer):
    status = choice(OrderStatus.choices, "SupervisionOrderStatusEnum", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionOrder
        fields = ["id", "number", "finding", "unit", "unit_name", "issue", "item", "requirements",
                  "responsible_leader", "issued_at", "deadline", "status", "overdue", "reply",
                  "replied_at", "verify_reason", "closed_at", "escalation_level",
                  "escalated_at"]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return self.context["overdue"](obj)


class SupervisionOrderReplySerializer(serializers.Serializer):
    reply = serializers.CharField()
    files = files_field()


class SupervisionOrderVerifySerializer(serializers.Serializer):
    decision = choice(Decision.choices, "SupervisionOrderDecisionEnum")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- bulletins -----------------------------------------------------------------------------------
class BulletinEntrySerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    source = serializers.SerializerMethodField(help_text="The model of a registered source.")
    source_id = serializers.IntegerField(source="source_pk", read_only=True, allow_null=True)

    def get_source(self, entry) -> str | None:
        ct = entry.source_type
        return f"{ct.app_label}.{ct.model}" if ct else None

    class Meta:
        model = BulletinEntry
        fields = ["id", "finding", "complaint", "source", "source_id", "unit", "unit_name",
                  "title", "text", "handling", "names", "approved", "show_names"]  # fmt: skip
        read_only_fields = fields


class BulletinResponseSerializer(serializers.ModelSerializer):
    kind = choice(ResponseKind.choices, "BulletinResponseKindEnum")

    class Meta:
        model = BulletinResponse
        fields = ["id", "unit", "kind", "speaker", "text", "recorded_at"]
        read_only_fields = fields


class BulletinSerializer(serializers.ModelSerializer):
    status = choice(BulletinStatus.choices, "BulletinStatusEnum", read_only=True)
    entries = BulletinEntrySerializer(many=True, read_only=True)
    responses = BulletinResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Bulletin
        fields = ["id", "number", "title", "intro", "period_start", "period_end", "status",
                  "stats", "return_reason", "submitted_at", "approved_at", "approved_by",
                  "issued_on", "published_at", "entries", "responses", "created_at"]  # fmt: skip
        read_only_fields = fields


class BulletinCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    findings = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    complaints = serializers.ListField(child=serializers.IntegerField(), required=False,
                                       default=list)  # fmt: skip
    sources = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        required=False,
        default=dict,
        help_text='Cases of registered sources by key, e.g. {"accountability": [case ids]}.',
    )

    def resolve(self, user, findings_qs) -> dict:
        data = dict(self.validated_data)
        ids, cids = data.pop("findings"), data.pop("complaints")
        found = list(findings_qs.filter(pk__in=ids))
        complaints = list(scoped(user, Complaint).filter(pk__in=cids))
        if len(found) != len(set(ids)) or len(complaints) != len(set(cids)):
            raise serializers.ValidationError({"findings": [_("Choose cases you may see.")]})
        return {**data, "findings": found, "complaints": complaints}


class BulletinApproveSerializer(serializers.Serializer):
    entries = serializers.ListField(child=serializers.IntegerField(), required=False,
                                    allow_null=True, default=None)  # fmt: skip
    names_for = serializers.ListField(child=serializers.IntegerField(), required=False,
                                      default=list)  # fmt: skip


class BulletinReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class BulletinResponseCreateSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    kind = choice(ResponseKind.choices, "BulletinResponseKindEnum")
    speaker = serializers.CharField(max_length=50)
    text = serializers.CharField()
    files = files_field()
