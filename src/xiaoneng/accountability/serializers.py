"""API shapes of accountability, the annual assessment and nominations."""

from __future__ import annotations

from rest_framework import serializers

from xiaoneng.core.api.fields import ScopedDepartmentField, ScopedPersonField, ScopedUnitField

from .models import (
    Adjustment,
    Assessment,
    AssessmentLine,
    AssessmentScheme,
    Case,
    CaseEvent,
    Indicator,
    Measure,
    Nomination,
    Subject,
    VetoRule,
)
from .workflow import CASE


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "code", "name", "rank", "referral_only", "description", "is_active"]


class SubjectSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    measure_name = serializers.CharField(source="measure.name", read_only=True, default="")

    class Meta:
        model = Subject
        fields = [
            "id",
            "person",
            "name",
            "position",
            "role",
            "role_label",
            "finding",
            "measure",
            "measure_name",
            "measure_note",
            "referral_outcome",
        ]


class CaseEventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["kind", "at", "actor_name", "note"]


class CaseSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    complaint_number = serializers.CharField(
        source="complaint.number", read_only=True, default=None
    )
    item_number = serializers.CharField(source="item.number", read_only=True, default=None)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "title",
            "summary",
            "source",
            "source_label",
            "unit",
            "unit_name",
            "department",
            "complaint",
            "complaint_number",
            "item",
            "item_number",
            "finding",
            "supervision_order",
            "consequence",
            "status",
            "status_label",
            "fast_track",
            "step_due_at",
            "dismiss_reason",
            "proposal",
            "decision",
            "approved_at",
            "served_at",
            "appeal_by",
            "appeal_text",
            "appeal_outcome",
            "closed_at",
            "created_at",
            "allowed_actions",
        ]

    def get_allowed_actions(self, obj) -> list[str]:
        return CASE.allowed(obj)


class CaseDetailSerializer(CaseSerializer):
    subjects = SubjectSerializer(many=True, read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "subjects", "events"]


class CaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    unit = ScopedUnitField()
    source = serializers.CharField(max_length=20, default="manual")
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    department = ScopedDepartmentField(required=False, allow_null=True, default=None)
    person = ScopedPersonField(required=False, allow_null=True, default=None)
    fast_track = serializers.BooleanField(required=False, default=False)


class CaseFromSourceSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=["complaint", "finding", "supervision_order"])
    id = serializers.IntegerField(min_value=1)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(CASE.transitions))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    appeal_waived = serializers.BooleanField(required=False, default=False)


class SubjectCreateSerializer(serializers.Serializer):
    person = ScopedPersonField(required=False, allow_null=True, default=None)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    role = serializers.CharField(max_length=20)


class SubjectUpdateSerializer(serializers.Serializer):
    finding = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    measure = serializers.SlugRelatedField(
        slug_field="code", queryset=Measure.objects.all(), required=False, allow_null=True
    )
    measure_note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    referral_outcome = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class IndicatorSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(max_length=10, required=False)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "source",
            "rule",
            "weight",
            "target",
            "floor",
            "per_item",
            "position",
        ]


class VetoRuleSerializer(serializers.ModelSerializer):
    cap_grade = serializers.CharField(read_only=True)

    class Meta:
        model = VetoRule
        fields = ["id", "name", "condition", "params", "cap_grade"]


class SchemeSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    vetoes = VetoRuleSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentScheme
        fields = [
            "id",
            "year",
            "name",
            "status",
            "status_label",
            "excellent_min",
            "good_min",
            "pass_min",
            "computed_at",
            "locked_at",
            "published_at",
            "indicators",
            "vetoes",
        ]
        read_only_fields = ["status", "computed_at", "locked_at", "published_at"]


class SchemeCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)


class SchemeRefSerializer(serializers.Serializer):
    scheme = serializers.IntegerField(min_value=1)


class LineSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.name", read_only=True)
    weight = serializers.DecimalField(
        source="indicator.weight", max_digits=7, decimal_places=2, read_only=True
    )

    class Meta:
        model = AssessmentLine
        fields = ["indicator", "weight", "value", "score", "explanation"]


class AdjustmentSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.name", read_only=True, default=None)

    class Meta:
        model = Adjustment
        fields = ["id", "indicator", "delta", "reason", "at"]


class AssessmentSerializer(serializers.ModelSerializer):
    grade = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "scheme",
            "unit",
            "unit_name",
            "computed_score",
            "adjustment",
            "score",
            "grade",
            "grade_label",
            "vetoes",
            "rank",
            "computed_at",
        ]


class AssessmentDetailSerializer(AssessmentSerializer):
    lines = LineSerializer(many=True, read_only=True)
    adjustments = AdjustmentSerializer(many=True, read_only=True)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "lines", "adjustments"]


class AdjustSerializer(serializers.Serializer):
    delta = serializers.DecimalField(max_digits=7, decimal_places=2)
    reason = serializers.CharField(max_length=500)
    indicator = serializers.IntegerField(required=False, allow_null=True, default=None)


class NominationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Nomination
        fields = [
            "id",
            "year",
            "award",
            "unit",
            "unit_name",
            "person",
            "person_name",
            "reason",
            "status",
            "status_label",
            "findings",
            "checked_at",
            "override_reason",
            "nominated_at",
            "decided_at",
        ]


class NominationCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    award = serializers.CharField(max_length=100)
    unit = ScopedUnitField()
    person = ScopedPersonField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class DecideSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000
    )
