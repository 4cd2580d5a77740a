"""REST API of self-inspection, commitments, learning, 五个一 and the institution register.

Reads go through ``selectors`` (data scope; out of scope = 404); writes through ``services``.
References to units and people in request bodies resolve inside the caller's scope only (an
id outside it is "does not exist", 400); file ids must be files the caller uploaded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.api.fields import (
    OwnFileField,
    ScopedPersonField,
    ScopedUnitField,
    files_field,
)
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Unit
from xiaoneng.core.params import api_params
from xiaoneng.core.scope import scoped

from . import periods, selectors, services
from .models import (
    ActivityRecord,
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTemplate,
    Commitment,
    InstitutionRule,
    LearningKind,
    LearningRecord,
    LearningRequirement,
    RecurringActivity,
    RuleType,
)


# --- fields --------------------------------------------------------------------------------------
class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is one named schema component (``enum_name``).

    drf-spectacular names enums after the property; several apps use generic property names
    (``kind``, ``status``, ``result``), so without a fixed name the same choice set used in
    two components (e.g. ``LearningRecord.kind`` and ``GroupSessionRequest.kind``) collides
    with other apps' ``kind`` enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


def campaign_field() -> serializers.PrimaryKeyRelatedField:
    """The campaign a record belongs to, by id (``campaign_id`` on the wire)."""
    return serializers.PrimaryKeyRelatedField(
        source="campaign",
        queryset=Campaign.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        return schema


def learning_kind_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(LearningKind.choices, enum_name="LearningKindEnum", **kwargs)


def answer_result_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        ChecklistAnswer.Result.choices, enum_name="ChecklistAnswerResultEnum", **kwargs
    )


# --- checklist templates -------------------------------------------------------------------------------
class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "number", "title", "text", "guidance"]
        read_only_fields = ["id", "number"]
        extra_kwargs = {"title": {"required": False}}


class TemplateSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True)
    target = NamedChoiceField(
        ChecklistTemplate.Target.choices, enum_name="ChecklistTargetEnum", required=False
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "description", "source", "target", "is_active", "items"]
        read_only_fields = ["id"]


class TemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Checklist templates (五查五看, 六查六看, …): readable by every signed-in user;
    configured by the office (campaign.manage)."""

    serializer_class = TemplateSerializer
    filterset_fields = ["code", "target", "is_active"]
    ordering_fields = ["id", "name", "sort_order"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.templates_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.template_create(actor=self.request.user, **data)


# --- assignments -------------------------------------------------------------------------------------
class AnswerSerializer(serializers.ModelSerializer):
    files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    result = answer_result_field(read_only=True)

    class Meta:
        model = ChecklistAnswer
        fields = ["id", "item", "result", "description", "files", "issue_id", "answered_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    template = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistTemplate.objects.filter(is_active=True)
    )
    template_name = serializers.CharField(source="template.name", read_only=True)
    unit = ScopedUnitField(required=False, allow_null=True)
    person = ScopedPersonField(required=False, allow_null=True)
    status = NamedChoiceField(
        ChecklistAssignment.Status.choices,
        enum_name="ChecklistAssignmentStatusEnum",
        read_only=True,
    )
    overdue = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)
    material_files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ChecklistAssignment
        fields = [
            "id",
            "template",
            "template_name",
            "campaign_id",
            "unit",
            "person",
            "due_on",
            "status",
            "overdue",
            "answered",
            "item_count",
            "completed_at",
            "material_text",
            "material_files",
            "answers",
        ]
        read_only_fields = ["id", "status", "completed_at", "material_text"]

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj)

    def get_answered(self, obj) -> int:
        return getattr(obj, "answered", None) or obj.answers.count()

    def get_item_count(self, obj) -> int:
        return getattr(obj, "item_count", None) or obj.template.items.count()


class AnswerEntrySerializer(serializers.Serializer):
    item = serializers.IntegerField()
    result = answer_result_field()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class AnswerRequestSerializer(serializers.Serializer):
    answers = AnswerEntrySerializer(many=True, allow_empty=False)


class MaterialRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class CompletionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    unit_total = serializers.IntegerField()
    unit_completed = serializers.IntegerField()
    person_total = serializers.IntegerField()
    person_completed = serializers.IntegerField()
    rate = serializers.FloatField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "overdue",
                OpenApiTypes.BOOL,
                description="Only open checklists past their due date.",
            )
        ]
    )
)
class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Checklists handed to units or people. The office assigns (campaign.manage); units
    and people answer with ``POST …/{id}/answer``; each "problem" opens a ledger issue."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["template", "unit", "person", "status", "campaign_id"]
    ordering_fields = ["id", "due_on", "status"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        qs = selectors.assignments_for(self.request.user).prefetch_related(
            "answers__files", "material_files"
        )
        if self.request.query_params.get("overdue") in {"true", "1"}:
            qs = qs.filter(status=ChecklistAssignment.Status.OPEN, due_on__lt=selectors.today())
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(
            actor=self.request.user, **serializer.validated_data
        )

    def _reply(self, assignment):
        fresh = self.get_queryset().filter(pk=assignment.pk).first() or assignment
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=AnswerRequestSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        assignment = self.get_object()
        body = AnswerRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            services.assignment_answer(
                actor=request.user,
                assignment=assignment,
                answers=body.validated_data["answers"],
            )
        return self._reply(assignment)

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign_id", OpenApiTypes.INT),
            OpenApiParameter("template", OpenApiTypes.INT),
        ],
        responses=CompletionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def completion(self, request):
        """Completion per unit in the caller's scope: unit and personal checklists, completed,
        overdue (open past the due date) and the rate in percent."""
        params = api_params(request)
        values = {name: params.id(name) for name in ("campaign_id", "template")}
        values = {name: value for name, value in values.items() if value}
        params.check()
        template = None
        if "template" in values:
            template = ChecklistTemplate.objects.filter(pk=values["template"]).first()
            if template is None:
                raise ValidationFailed(
                    _("Invalid input"), errors={"template": [_("Unknown checklist.")]}
                )
        rows = selectors.completion_by_unit(
            request.user, campaign_id=values.get("campaign_id"), template=template
        )
        return Response(CompletionSerializer(rows, many=True).data)

    @extend_schema(request=MaterialRequestSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def material(self, request, pk=None):
        assignment = self.get_object()
        body = MaterialRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.assignment_attach_material(
            actor=request.user, assignment=assignment, **body.validated_data
        )
        return self._reply(assignment)


# --- commitments ------------------------------------------------------------------------------------------
class CommitmentSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    unit = ScopedUnitField(required=False, allow_null=True)
    person = ScopedPersonField(required=False, allow_null=True)
    review_evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    audience = NamedChoiceField(Commitment.Audience.choices, enum_name="CommitmentAudienceEnum")
    fulfilment = NamedChoiceField(
        Commitment.Fulfilment.choices, enum_name="CommitmentFulfilmentEnum", read_only=True
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "unit",
            "person",
            "campaign_id",
            "content",
            "committed_on",
            "audience",
            "is_public",
            "person_consents",
            "fulfilment",
            "review_note",
            "review_evidence",
            "reviewed_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "fulfilment",
            "review_note",
            "review_evidence",
            "reviewed_at",
            "created_at",
        ]


class ReviewRequestSerializer(serializers.Serializer):
    fulfilment = NamedChoiceField(
        [c for c in Commitment.Fulfilment.choices if c[0] != Commitment.Fulfilment.PENDING],
        enum_name="CommitmentReviewResultEnum",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = files_field()


class CommitmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Public commitments (公开承诺) of units and people; ``POST …/{id}/review`` records
    whether it was kept (fulfilled / partial / unfulfilled, with evidence)."""

    serializer_class = CommitmentSerializer
    filterset_fields = ["unit", "person", "campaign_id", "audience", "is_public", "fulfilment"]
    ordering_fields = ["id", "committed_on"]
    ordering = ["-committed_on", "-id"]

    def get_queryset(self):
        return selectors.commitments_for(self.request.user).prefetch_related("review_evidence")

    def perform_create(self, serializer):
        serializer.instance = services.commitment_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=ReviewRequestSerializer, responses=CommitmentSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        commitment = self.get_object()
        body = ReviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.commitment_review(actor=request.user, commitment=commitment, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=commitment.pk)).data)


# --- learning ------------------------------------------------------------------------------------------------
class RequirementSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    measure = NamedChoiceField(LearningRequirement.Measure.choices, enum_name="LearningMeasureEnum")

    class Meta:
        model = LearningRequirement
        fields = [
            "id",
            "campaign_id",
            "name",
            "measure",
            "minimum",
            "maximum",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]


class RequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning minimums per person (e.g. self-study ≥ 40 h, group ≥ 10 h, 1–2 essays)."""

    serializer_class = RequirementSerializer
    filterset_fields = ["campaign_id", "measure", "is_active"]
    ordering_fields = ["id", "starts_on"]
    ordering = ["starts_on", "id"]

    def get_queryset(self):
        return selectors.requirements_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.requirement_create(
            actor=self.request.user, **serializer.validated_data
        )


class LearningRecordSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    person = ScopedPersonField()
    essays = files_field()
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind = learning_kind_field()

    class Meta:
        model = LearningRecord
        fields = [
            "id",
            "person",
            "person_name",
            "unit",
            "campaign_id",
            "session",
            "date",
            "hours",
            "kind",
            "topic",
            "notes",
            "essays",
            "created_at",
        ]
        read_only_fields = ["id", "unit", "session", "created_at"]


class GroupSessionSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    attendees = ScopedPersonField(many=True, allow_empty=False)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    kind = learning_kind_field(default=LearningKind.GROUP)
    topic = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    campaign_id = campaign_field()


class GroupSessionResultSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    records = serializers.IntegerField()


class RequirementResultSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement.pk")
    name = serializers.CharField(source="requirement.name")
    measure = serializers.CharField(source="requirement.measure")
    minimum = serializers.DecimalField(source="requirement.minimum", max_digits=7, decimal_places=1)
    actual = serializers.DecimalField(max_digits=9, decimal_places=1)
    compliant = serializers.BooleanField()


class PersonComplianceSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    unit = serializers.IntegerField(source="person.unit_id")
    compliant = serializers.BooleanField()
    results = RequirementResultSerializer(many=True)


class UnitComplianceSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    people = serializers.IntegerField()
    compliant = serializers.IntegerField()
    rate = serializers.FloatField()


class LearningRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning records (学习教育). People record their own; units record for their people
    and enter group sessions once for all attendees (``POST …/group-session``)."""

    serializer_class = LearningRecordSerializer
    filterset_fields = ["person", "unit", "kind", "campaign_id", "session", "date"]
    ordering_fields = ["id", "date", "hours"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return selectors.learning_records_for(self.request.user).prefetch_related("essays")

    def perform_create(self, serializer):
        serializer.instance = services.learning_record_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=GroupSessionSerializer, responses={201: GroupSessionResultSerializer})
    @action(detail=False, methods=["post"], url_path="group-session")
    def group_session(self, request):
        body = GroupSessionSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        session = services.group_session_record(actor=request.user, **body.validated_data)
        return Response(
            {"session": session.pk, "records": session.records.count()},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["person", "unit"]),
        ],
        responses=PolymorphicProxySerializer(
            component_name="Compliance",
            serializers=[PersonComplianceSerializer, UnitComplianceSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def compliance(self, request):
        """Each person in scope against each active requirement; ``?by=unit`` sums per unit
        (people, compliant people, rate)."""
        unit = None
        params = api_params(request)
        unit_id = params.id("unit")
        params.check()
        if unit_id:
            unit = scoped(request.user, Unit).filter(pk=unit_id).first()
            if unit is None:
                raise ValidationFailed(_("Invalid input"), errors={"unit": [_("Unknown unit.")]})
        rows = selectors.compliance(request.user, unit=unit)
        if request.query_params.get("by") == "unit":
            units = selectors.compliance_by_unit(rows)
            return Response(UnitComplianceSerializer(units, many=True).data)
        return Response(PersonComplianceSerializer(rows, many=True).data)


# --- recurring activities (五个一) -------------------------------------------------------------------------
class ActivitySerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    frequency = NamedChoiceField(
        RecurringActivity.Frequency.choices, enum_name="ActivityFrequencyEnum"
    )
    units = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Unit.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = RecurringActivity
        fields = [
            "id",
            "code",
            "name",
            "description",
            "frequency",
            "all_units",
            "units",
            "campaign_id",
            "active_from",
            "active_until",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]


class MissingSerializer(serializers.Serializer):
    activity = serializers.IntegerField(source="activity.pk")
    activity_name = serializers.CharField(source="activity.name")
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.CharField()


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Recurring activities (五个一) and the units that owe them; ``GET …/missing`` lists the
    owed occurrences nobody recorded (last month / last quarter as of ``as_of``, or ``period``)."""

    serializer_class = ActivitySerializer
    filterset_fields = ["code", "frequency", "is_active", "campaign_id"]
    ordering_fields = ["id", "sort_order"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.activities_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.activity_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("period", OpenApiTypes.STR, description="2026-10 or 2026-Q4"),
        ],
        responses=MissingSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def missing(self, request):
        params = request.query_params
        errors = {}
        as_of = period = None
        try:
            as_of = dt.date.fromisoformat(params["as_of"]) if params.get("as_of") else None
        except ValueError:
            errors["as_of"] = [_("Use YYYY-MM-DD.")]
        if params.get("period"):
            period = params["period"]
            try:
                periods.bounds(period)
            except (ValueError, IndexError):
                errors["period"] = [_("Use YYYY-MM or YYYY-Qn.")]
        if errors:
            raise ValidationFailed(_("Invalid input"), errors=errors)
        rows = selectors.missing_occurrences(as_of=as_of, period=period, user=request.user)
        return Response(MissingSerializer(rows, many=True).data)


class ActivityRecordSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=RecurringActivity.objects.filter(is_active=True)
    )
    unit = ScopedUnitField()
    photos = files_field()

    class Meta:
        model = ActivityRecord
        fields = [
            "id",
            "activity",
            "unit",
            "period",
            "held_on",
            "participants",
            "participant_count",
            "notes",
            "photos",
            "created_at",
        ]
        read_only_fields = ["id", "period", "created_at"]


class ActivityRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Occurrences of 五个一 activities recorded by units (date, participants, notes, photos)."""

    serializer_class = ActivityRecordSerializer
    filterset_fields = ["activity", "unit", "period"]
    ordering_fields = ["id", "held_on"]
    ordering = ["-held_on", "-id"]

    def get_queryset(self):
        return selectors.activity_records_for(self.request.user).prefetch_related("photos")

    def perform_create(self, serializer):
        serializer.instance = services.activity_record_create(
            actor=self.request.user, **serializer.validated_data
        )


# --- institution register (建章立制) --------------------------------------------------------------------------
class RuleSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    owner = ScopedPersonField(required=False, allow_null=True)
    document = OwnFileField(required=False, allow_null=True)
    rule_type = NamedChoiceField(RuleType.choices, enum_name="InstitutionRuleTypeEnum")
    rule_type_label = serializers.CharField(source="get_rule_type_display", read_only=True)

    class Meta:
        model = InstitutionRule
        fields = [
            "id",
            "unit",
            "rule_type",
            "rule_type_label",
            "name",
            "document",
            "owner",
            "adopted_on",
            "next_review_on",
            "notes",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"required": False}}


class RegisterRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    present = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    def get_present(self, row) -> list[str]:
        return [t.value for t, rules in row.cells if rules]

    def get_missing(self, row) -> list[str]:
        return [t.value for t in row.missing]


class RuleReviewRequestSerializer(serializers.Serializer):
    next_review_on = serializers.DateField()
    document = OwnFileField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The units' rules (建章立制: the ten institutions plus custom ones); ``GET …/register``
    shows which of the ten each unit in scope lacks."""

    serializer_class = RuleSerializer
    filterset_fields = ["unit", "rule_type", "is_active"]
    ordering_fields = ["id", "adopted_on", "next_review_on"]
    ordering = ["unit__path", "rule_type", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.rules_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.rule_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for fixed in ("unit", "rule_type"):
            if fixed in data and data[fixed] != getattr(serializer.instance, fixed):
                raise ValidationFailed(
                    _("Invalid input"), errors={fixed: [_("This field cannot be changed here.")]}
                )
            data.pop(fixed, None)
        serializer.instance = services.rule_update(
            actor=self.request.user, rule=serializer.instance, **data
        )

    @extend_schema(request=RuleReviewRequestSerializer, responses=RuleSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record the rule's review (复审): the next review date, optionally a revised
        document; ends the sweep's reminders for the old date."""
        rule = self.get_object()
        body = RuleReviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.rule_review(actor=request.user, rule=rule, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=rule.pk)).data)

    @extend_schema(responses=RegisterRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def register(self, request):
        return Response(RegisterRowSerializer(selectors.register(request.user), many=True).data)
