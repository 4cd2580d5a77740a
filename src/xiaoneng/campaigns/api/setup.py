"""API of a campaign's set-up (issue 20): phases (edit, move, remove), leading groups and their
members (people from the org chart). Reads are the campaigns the user sees (out of scope = 404);
writes go through the services, which decide who may (the office; a unit its own group)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core import idempotency
from xiaoneng.core.api.fields import ScopedUnitField
from xiaoneng.core.idempotency import IdempotentCreateMixin, idempotent
from xiaoneng.core.models import Person

from .. import selectors, services
from ..models import Campaign, GroupMember, LeadingGroup, Phase
from .campaigns import CampaignPhaseSerializer
from .fields import CampaignChoiceField

PATCH_ONLY = ["get", "post", "patch", "delete", "head", "options"]


class CampaignPhaseInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class CampaignPhaseMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class CampaignPhaseViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A campaign's phase. ``PATCH`` renames or re-dates it: when its end moves, the deliverables of
    the phase move by as many days (what units still owe) and the units are notified."""

    serializer_class = CampaignPhaseSerializer
    http_method_names = PATCH_ONLY

    def get_queryset(self):
        return Phase.objects.filter(campaign__in=selectors.campaigns_for(self.request.user))

    @extend_schema(request=CampaignPhaseInputSerializer, responses=CampaignPhaseSerializer)
    def partial_update(self, request, *args, **kwargs):
        phase = self.get_object()
        current = {
            "name": phase.name,
            "starts_on": phase.starts_on,
            "ends_on": phase.ends_on,
            "description": phase.description,
        }
        body = CampaignPhaseInputSerializer(data={**current, **request.data})
        body.is_valid(raise_exception=True)
        phase = services.phase_update(actor=request.user, phase=phase, **body.validated_data)
        return Response(CampaignPhaseSerializer(phase).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.phase_delete(actor=self.request.user, phase=instance)

    @extend_schema(request=CampaignPhaseMoveSerializer, responses=CampaignPhaseSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        phase = self.get_object()
        body = CampaignPhaseMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        phase = services.phase_move(
            actor=request.user, phase=phase, direction=body.validated_data["direction"]
        )
        return Response(CampaignPhaseSerializer(phase).data)


# --- leading groups ------------------------------------------------------------------------------------
class CampaignGroupMemberSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    role = CampaignChoiceField(GroupMember.Role.choices, enum_name="CampaignGroupRoleEnum")
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))

    class Meta:
        model = GroupMember
        fields = ["id", "group", "person", "person_name", "role", "sort_order"]
        read_only_fields = ["id", "group", "sort_order"]
        validators: list = []  # the service says when a person is already in the group


class CampaignGroupSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    unit = ScopedUnitField(required=False, allow_null=True)
    office_director = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.filter(is_active=True), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    office_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    members = CampaignGroupMemberSerializer(many=True, read_only=True)

    class Meta:
        model = LeadingGroup
        fields = ["id", "campaign", "unit", "name", "office_name", "office_director", "members"]
        read_only_fields = ["id"]
        validators: list = []  # one group per campaign and unit: group_save updates it

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = selectors.campaigns_for(request.user)
        return fields


class CampaignGroupViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Leading groups (领导小组): the campaign's (``unit`` empty, the office's) and each unit's
    (kept by the unit or the office); ``POST …/{id}/members`` adds 组长 / 副组长 / 成员."""

    serializer_class = CampaignGroupSerializer
    filterset_fields = ["campaign", "unit"]
    ordering = ["campaign", "id"]
    http_method_names = PATCH_ONLY

    def get_queryset(self):
        return LeadingGroup.objects.filter(
            campaign__in=selectors.campaigns_for(self.request.user)
        ).prefetch_related("members__person")

    def perform_create(self, serializer):
        serializer.instance = services.group_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        group = serializer.instance
        data = {
            "name": group.name,
            "office_name": group.office_name,
            "office_director": group.office_director,
            **serializer.validated_data,
        }
        data.pop("campaign", None)
        data.pop("unit", None)
        serializer.instance = services.group_save(
            actor=self.request.user, campaign=group.campaign, unit=group.unit, **data
        )

    @extend_schema(
        request=CampaignGroupMemberSerializer,
        responses=CampaignGroupMemberSerializer,
        parameters=[idempotency.PARAMETER],  # @action replaces what @idempotent documents
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def members(self, request, pk=None):
        group = self.get_object()
        body = CampaignGroupMemberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.group_member_add(actor=request.user, group=group, **body.validated_data)
        return Response(CampaignGroupMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class CampaignGroupMemberViewSet(
    mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """One member of a leading group; ``DELETE`` removes them (audited)."""

    serializer_class = CampaignGroupMemberSerializer

    def get_queryset(self):
        return GroupMember.objects.filter(
            group__campaign__in=selectors.campaigns_for(self.request.user)
        ).select_related("group__unit", "person")

    def perform_destroy(self, instance):
        services.group_member_remove(actor=self.request.user, member=instance)
