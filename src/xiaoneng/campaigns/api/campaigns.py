"""API of campaign templates and campaigns (start, close, urge)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core import idempotency
from xiaoneng.core.api.fields import ScopedUnitField
from xiaoneng.core.idempotency import IdempotentCreateMixin, idempotent

from .. import selectors, services
from ..models import (
    Campaign,
    CampaignTemplate,
    Phase,
)
from .fields import CampaignChoiceField, kind_field


# --- templates ------------------------------------------------------------------------------------
class CampaignTemplateSerializer(serializers.ModelSerializer):
    kind = kind_field(read_only=True)
    spans_years = serializers.IntegerField(read_only=True)

    class Meta:
        model = CampaignTemplate
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "source",
            "description",
            "guiding_ideas",
            "goals",
            "spans_years",
            "spec",
        ]


class CampaignTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The campaign plans seeded from the seeds (效能风暴, 作风整顿, 转作风提效能, 机关效能建设,
    创建文明城市): phases as month/day offsets, deliverables, key tasks, targets."""

    serializer_class = CampaignTemplateSerializer
    filterset_fields = ["code", "kind"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.templates_for(self.request.user)


# --- campaigns -------------------------------------------------------------------------------------
class CampaignPhaseSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields = ["id", "order", "name", "description", "starts_on", "ends_on", "is_current"]
        read_only_fields = ["id", "order"]

    def get_is_current(self, obj) -> bool:
        return obj.pk == self.context.get("current_phase_id")


class CampaignSerializer(serializers.ModelSerializer):
    units = ScopedUnitField(many=True, required=False)
    issuing_unit = ScopedUnitField(required=False, allow_null=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=CampaignTemplate.objects.filter(is_active=True), required=False, allow_null=True
    )
    year = serializers.IntegerField(
        write_only=True, required=False, help_text="First year, with a template."
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    kind = kind_field(required=False)
    status = CampaignChoiceField(
        Campaign.Status.choices, enum_name="CampaignStatusEnum", read_only=True
    )
    current_phase = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "template",
            "year",
            "name",
            "kind",
            "doc_number",
            "issuing_unit",
            "units",
            "guiding_ideas",
            "goals",
            "starts_on",
            "ends_on",
            "status",
            "reminder_days",
            "current_phase",
            "created_at",
        ]
        read_only_fields = ["id", "status", "created_at"]

    @extend_schema_field(CampaignPhaseSerializer(allow_null=True))
    def get_current_phase(self, obj):
        phase = selectors.current_phase(selectors.phases_of(obj))
        if phase is None:
            return None
        return CampaignPhaseSerializer(phase, context={"current_phase_id": phase.pk}).data

    def validate(self, attrs):
        if self.instance is not None:  # PATCH: the service checks what changes
            return attrs
        if attrs.get("template") is not None:
            if not attrs.get("year"):
                raise serializers.ValidationError({"year": [_("This field is required.")]})
        else:
            missing = [f for f in ("name", "starts_on", "ends_on") if not attrs.get(f)]
            if missing:
                raise serializers.ValidationError(
                    {f: [_("This field is required.")] for f in missing}
                )
        return attrs


class CampaignUrgeResultSerializer(serializers.Serializer):
    late = serializers.IntegerField()


class CampaignViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns. Create from a template with ``{"template": id, "year": 2026}`` (dates roll to
    that year) or from scratch (name, starts_on, ends_on, …). Units see the campaigns they are in
    once started; the office (campaign.manage) sees all."""

    serializer_class = CampaignSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["status", "kind", "template"]
    ordering_fields = ["id", "starts_on", "name"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self):
        return selectors.campaigns_for(self.request.user).prefetch_related("units")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        template, year = data.pop("template", None), data.pop("year", None)
        with transaction.atomic():
            if template is not None:
                keep = {
                    k: data[k] for k in ("name", "doc_number", "issuing_unit", "units") if k in data
                }
                if "reminder_days" in data:
                    keep["reminder_days"] = data["reminder_days"]
                serializer.instance = services.campaign_create_from_template(
                    actor=self.request.user, template=template, year=year, **keep
                )
            else:
                serializer.instance = services.campaign_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        """``PATCH``: the frame (name, document number, dates, texts); not the units or template."""
        data = {k: v for k, v in serializer.validated_data.items() if k in services.CAMPAIGN_FIELDS}
        serializer.instance = services.campaign_update(
            actor=self.request.user, campaign=serializer.instance, **data
        )

    def _reply(self, campaign):
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        campaign = self.get_object()
        services.campaign_start(actor=request.user, campaign=campaign)
        return self._reply(campaign)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = self.get_object()
        services.campaign_close(actor=request.user, campaign=campaign)
        return self._reply(campaign)

    @extend_schema(methods=["get"], request=None, responses=CampaignPhaseSerializer(many=True))
    @extend_schema(
        methods=["post"],
        request=CampaignPhaseSerializer,
        responses=CampaignPhaseSerializer(many=True),
        parameters=[idempotency.PARAMETER],  # @action replaces what @idempotent documents
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filterset_fields=[])
    @idempotent
    def phases(self, request, pk=None):
        """The phases in order; ``POST`` appends one (name, starts_on, ends_on, description)."""
        campaign = self.get_object()
        if request.method == "POST":
            body = CampaignPhaseSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = {k: v for k, v in body.validated_data.items() if k != "is_current"}
            services.phase_add(actor=request.user, campaign=campaign, **data)
        phases = selectors.phases_of(campaign)
        current = selectors.current_phase(phases)
        context = {"current_phase_id": current.pk if current else None}
        return Response(CampaignPhaseSerializer(phases, many=True, context=context).data)

    @extend_schema(request=None, responses=CampaignUrgeResultSerializer)
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        """催报: remind every unit late on any deliverable."""
        campaign = self.get_object()
        late = services.submissions_urge(actor=request.user, campaign=campaign)
        return Response({"late": late})
