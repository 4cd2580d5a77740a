"""API views: one ViewSet per resource, workflow transitions as POST actions."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core import clock, idempotency
from xiaoneng.core.idempotency import idempotent

from .. import selectors, services
from ..models import Bulletin, Finding, InspectionPlan, SupervisionOrder, Visit
from . import serializers as s


class _Base(viewsets.GenericViewSet):
    model: type = None  # for the schema generator (no request user there)

    def schema_only(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def _out(self, obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer


def _captures(rows) -> list:
    return [(row["file"], row.get("captured_at")) for row in rows]


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Inspection plans (明查/暗访/专项督查/回头看): the office's, and the plans an inspector is
    assigned to. ``POST …/draw`` runs the 双随机 draw once (the seed is stored)."""

    serializer_class = s.InspectionPlanSerializer
    filterset_fields = ["kind", "status", "campaign"]
    ordering_fields = ["id", "starts_on", "name"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self):
        if self.schema_only():
            return InspectionPlan.objects.none()
        return selectors.plans_for(self.request.user).prefetch_related(
            "units", "team__unit", "inspector_pool__unit"
        )

    @extend_schema(
        request=s.InspectionPlanCreateSerializer, responses={201: s.InspectionPlanSerializer}
    )
    @idempotent
    def create(self, request):
        data = self._input(s.InspectionPlanCreateSerializer).validated_data
        plan = services.plan_create(actor=request.user, **data)
        return self._out(plan, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.InspectionDrawSerializer, responses={200: s.InspectionVisitSerializer(many=True)}
    )
    @action(detail=True, methods=["post"])
    def draw(self, request, pk=None):
        plan = self.get_object()
        seed = self._input(s.InspectionDrawSerializer).validated_data.get("seed")
        visits = services.plan_draw(actor=request.user, plan=plan, seed=seed)
        qs = selectors.visits_for(request.user).filter(pk__in=[v.pk for v in visits])
        return Response(s.InspectionVisitSerializer(qs.order_by("position"), many=True).data)


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Visits: the office sees all, inspectors their assignments, a unit its published visits
    only (an unpublished visit — 暗访 above all — is a 404 to it)."""

    serializer_class = s.InspectionVisitSerializer
    filterset_fields = ["plan", "unit", "status", "scheduled_on"]
    ordering_fields = ["id", "scheduled_on"]
    ordering = ["-scheduled_on", "position", "id"]

    def get_queryset(self):
        if self.schema_only():
            return Visit.objects.none()
        return selectors.visits_for(self.request.user).prefetch_related(
            "team__unit", "answers", "evidence__file"
        )

    @extend_schema(
        request=s.InspectionVisitCreateSerializer, responses={201: s.InspectionVisitSerializer}
    )
    @idempotent
    def create(self, request):
        data = dict(self._input(s.InspectionVisitCreateSerializer).validated_data)
        try:
            plan = selectors.plans_for(request.user).get(pk=data.pop("plan"))
        except InspectionPlan.DoesNotExist as exc:
            raise Http404 from exc
        visit = services.visit_create(actor=request.user, plan=plan, **data)
        return self._out(visit, status.HTTP_201_CREATED)

    @extend_schema(request=s.VisitRecordSerializer, responses={200: s.InspectionVisitSerializer})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        visit = self.get_object()
        data = dict(self._input(s.VisitRecordSerializer).validated_data)
        data["files"] = _captures(data["files"])
        services.visit_record(actor=request.user, visit=visit, **data)
        return self._out(visit)

    @extend_schema(
        methods=["get"], request=None, responses={200: s.InspectionFindingSerializer(many=True)}
    )
    @extend_schema(
        methods=["post"],
        request=s.InspectionFindingCreateSerializer,
        responses={201: s.InspectionFindingSerializer},
        parameters=[idempotency.PARAMETER],  # @action replaces what @idempotent documents
    )
    @action(detail=True, methods=["get", "post"])
    @idempotent
    def findings(self, request, pk=None):
        visit = self.get_object()
        if request.method == "GET":
            qs = selectors.findings_for(request.user).filter(visit=visit)
            return Response(
                s.InspectionFindingSerializer(qs.prefetch_related("people"), many=True).data
            )
        data = dict(self._input(s.InspectionFindingCreateSerializer).validated_data)
        data["files"] = _captures(data["files"])
        finding = services.finding_create(actor=request.user, visit=visit, **data)
        out = selectors.findings_for(request.user).get(pk=finding.pk)
        return Response(s.InspectionFindingSerializer(out).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.InspectionVisitSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        visit = self.get_object()
        services.visit_publish(actor=request.user, visit=visit)
        return self._out(visit)

    @extend_schema(request=s.VisitLookbackSerializer, responses={200: s.InspectionVisitSerializer})
    @action(detail=True, methods=["post"])
    def lookback(self, request, pk=None):
        visit = self.get_object()
        data = dict(self._input(s.VisitLookbackSerializer).validated_data)
        finding = selectors.get_finding(request.user, data.pop("finding"))
        services.lookback_check(actor=request.user, visit=visit, finding=finding, **data)
        return self._out(visit)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Findings, with the same visibility as their visits."""

    serializer_class = s.InspectionFindingSerializer
    filterset_fields = ["visit", "unit", "severity", "category"]
    ordering_fields = ["id", "found_at"]
    ordering = ["-found_at", "-id"]

    def get_queryset(self):
        if self.schema_only():
            return Finding.objects.none()
        return selectors.findings_for(self.request.user).prefetch_related(
            "people", "evidence__file"
        )


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """督办单 in your data scope; ``reply`` (the unit, with evidence) and ``verify`` (the
    office) follow the ledger's close-out rules."""

    serializer_class = s.SupervisionOrderSerializer
    filterset_fields = ["unit", "status", "number"]
    ordering_fields = ["id", "deadline", "issued_at"]
    ordering = ["deadline", "id"]

    def get_queryset(self):
        if self.schema_only():
            return SupervisionOrder.objects.none()
        return selectors.orders_for(self.request.user)

    def get_serializer_context(self):
        now = clock.now()
        return {
            **super().get_serializer_context(),
            "overdue": lambda o: services.is_overdue(o, now),
        }

    @extend_schema(
        request=s.SupervisionOrderReplySerializer, responses={200: s.SupervisionOrderSerializer}
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        order = self.get_object()
        services.order_reply(
            actor=request.user,
            order=order,
            **self._input(s.SupervisionOrderReplySerializer).validated_data,
        )
        return self._out(order)

    @extend_schema(
        request=s.SupervisionOrderVerifySerializer, responses={200: s.SupervisionOrderSerializer}
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        order = self.get_object()
        services.order_verify(
            actor=request.user,
            order=order,
            **self._input(s.SupervisionOrderVerifySerializer).validated_data,
        )
        return self._out(order)


class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, _Base):
    """Exposure bulletins: drafts are the office's and the approvers'; published ones are
    everyone's. submit (office) → approve / return (a leader) → publish (office)."""

    serializer_class = s.BulletinSerializer
    filterset_fields = ["status", "number"]
    ordering_fields = ["id", "created_at", "issued_on"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        if self.schema_only():
            return Bulletin.objects.none()
        return selectors.bulletins_for(self.request.user).prefetch_related(
            "entries__unit", "entries__source_type", "responses"
        )

    @extend_schema(request=s.BulletinCreateSerializer, responses={201: s.BulletinSerializer})
    @idempotent
    def create(self, request):
        serializer = self._input(s.BulletinCreateSerializer)
        data = serializer.resolve(request.user, selectors.findings_for(request.user))
        bulletin = services.bulletin_create(actor=request.user, **data)
        return self._out(bulletin, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.BulletinSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        bulletin = services.bulletin_submit(actor=request.user, bulletin=self.get_object())
        return self._out(bulletin)

    @extend_schema(request=s.BulletinApproveSerializer, responses={200: s.BulletinSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        bulletin = self.get_object()
        data = self._input(s.BulletinApproveSerializer).validated_data
        services.bulletin_approve(actor=request.user, bulletin=bulletin, **data)
        return self._out(bulletin)

    @extend_schema(request=s.BulletinReasonSerializer, responses={200: s.BulletinSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        bulletin = self.get_object()
        reason = self._input(s.BulletinReasonSerializer).validated_data["reason"]
        services.bulletin_return(actor=request.user, bulletin=bulletin, reason=reason)
        return self._out(bulletin)

    @extend_schema(request=None, responses={200: s.BulletinSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        bulletin = services.bulletin_publish(actor=request.user, bulletin=self.get_object())
        return self._out(bulletin)

    @extend_schema(
        request=s.BulletinResponseCreateSerializer, responses={201: s.BulletinResponseSerializer}
    )
    @action(detail=True, methods=["post"])
    def responses(self, request, pk=None):
        bulletin = self.get_object()
        data = dict(self._input(s.BulletinResponseCreateSerializer).validated_data)
        data["text_"] = data.pop("text")
        response = services.response_record(actor=request.user, bulletin=bulletin, **data)
        return Response(s.BulletinResponseSerializer(response).data, status=status.HTTP_201_CREATED)
