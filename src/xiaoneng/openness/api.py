"""REST API of 领导接待日 and 院务公开 (API.md): scoped reads, writes through ``services``
(lacking the role → 403, out of scope → 404, illegal step → 409)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.complaints.models import Category
from xiaoneng.complaints.vocab import Type
from xiaoneng.core.api.choices import NamedChoiceField
from xiaoneng.core.api.fields import ScopedPersonField, ScopedUnitField
from xiaoneng.core.idempotency import idempotent
from xiaoneng.core.services.base import require_permission

from . import selectors, services
from .models import Disclosure, DisclosureItem, ReceptionDay, ReceptionVisit
from .vocab import DisclosureStatus, Section
from .workflow import DISCLOSURE

ERRORS = {
    400: OpenApiResponse(description="Invalid input (every bad field listed)"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found or not visible to you"),
    409: OpenApiResponse(description="Not allowed in the current state"),
}


class ReceptionSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    leader = ScopedPersonField()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True)

    class Meta:
        model = ReceptionDay
        fields = [
            "id", "unit", "unit_name", "leader", "leader_name",
            "starts_at", "ends_at", "place", "topics",
        ]  # fmt: skip


class VisitSerializer(serializers.ModelSerializer):
    complaint_number = serializers.CharField(source="complaint.number", read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True)

    class Meta:
        model = ReceptionVisit
        fields = ["id", "reception", "leader", "leader_name", "complaint", "complaint_number",
                  "recorded_at"]  # fmt: skip


class VisitCreateSerializer(serializers.Serializer):
    type = NamedChoiceField(Type.choices, enum_name="ComplaintTypeEnum", default=Type.COMPLAINT)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class DisclosureItemSerializer(serializers.ModelSerializer):
    section = NamedChoiceField(Section.choices, enum_name="DisclosureSectionEnum")

    class Meta:
        model = DisclosureItem
        fields = ["id", "section", "title", "content", "time_limit", "price", "price_unit",
                  "position"]  # fmt: skip
        read_only_fields = ["position"]


class DisclosureSerializer(serializers.ModelSerializer):
    status = NamedChoiceField(DisclosureStatus.choices, enum_name="DisclosureStatusEnum")
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    items = DisclosureItemSerializer(many=True, read_only=True)

    class Meta:
        model = Disclosure
        fields = ["id", "unit", "unit_name", "status", "submitted_at", "decided_at",
                  "return_reason", "published_at", "published", "items"]  # fmt: skip
        read_only_fields = fields


class ActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReceptionList(generics.ListCreateAPIView):
    """Leaders' reception days in the caller's scope; the office publishes new ones."""

    serializer_class = ReceptionSerializer
    filterset_fields = ["unit", "leader"]
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return selectors.receptions_for(self.request.user).order_by("-starts_at", "-id")

    @extend_schema(responses={201: ReceptionSerializer, **ERRORS})
    @idempotent
    def post(self, request, *args, **kwargs):
        require_permission(request.user, services.MANAGE)
        data = ReceptionSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        reception = services.reception_create(actor=request.user, **data.validated_data)
        return Response(ReceptionSerializer(reception).data, status=status.HTTP_201_CREATED)


class ReceptionDetail(generics.RetrieveAPIView):
    serializer_class = ReceptionSerializer

    def get_object(self):
        return selectors.get_reception(self.request.user, self.kwargs["pk"])


class ReceptionVisits(APIView):
    @extend_schema(responses={200: VisitSerializer(many=True)})
    def get(self, request, pk: int):
        reception = selectors.get_reception(request.user, pk)
        return Response(VisitSerializer(selectors.visits_of(reception), many=True).data)

    @extend_schema(
        summary="Record a visit: registered as a complaint (channel reception_day) linked to "
        "the leader who received it",
        request=VisitCreateSerializer,
        responses={201: VisitSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request, pk: int):
        reception = selectors.get_reception(request.user, pk)
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        complainant = {"name": v.pop("name"), "phone": v.pop("phone")}
        visit = services.visit_record(
            actor=request.user, reception=reception, complainant=complainant, **v
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class DisclosureList(generics.ListAPIView):
    """Units' 院务公开 pages in the caller's scope."""

    serializer_class = DisclosureSerializer
    filterset_fields = ["status", "unit"]

    def get_queryset(self):
        return selectors.disclosures_for(self.request.user).prefetch_related("items")


class DisclosureDetail(generics.RetrieveAPIView):
    serializer_class = DisclosureSerializer

    def get_object(self):
        return selectors.get_disclosure(self.request.user, self.kwargs["pk"])


class DisclosureItems(APIView):
    @extend_schema(
        summary="Add an entry (draft or returned pages only)",
        request=DisclosureItemSerializer,
        responses={201: DisclosureItemSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request, pk: int):
        disclosure = selectors.get_disclosure(request.user, pk)
        data = DisclosureItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.item_add(actor=request.user, disclosure=disclosure, **data.validated_data)
        return Response(DisclosureItemSerializer(item).data, status=status.HTTP_201_CREATED)


class DisclosureAction(APIView):
    @extend_schema(
        summary="submit / approve / return (with a reason) / revise",
        operation_id="disclosures_action",
        request=ActionSerializer,
        responses={200: DisclosureSerializer, **ERRORS},
    )
    def post(self, request, pk: int, action: str):
        if action not in DISCLOSURE.transitions:
            raise Http404
        disclosure = selectors.get_disclosure(request.user, pk)
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disclosure = services.disclosure_act(
            actor=request.user, disclosure=disclosure, action=action, **data.validated_data
        )
        disclosure.refresh_from_db()
        return Response(DisclosureSerializer(disclosure).data)
