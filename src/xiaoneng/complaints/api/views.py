"""Register, list, read, timeline and the protected identity of complaints."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import filters, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core import batch
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.idempotency import idempotent

from .. import policies, selectors, services
from ..filters import ORDERING_FIELDS, ComplaintFilter
from ..models import Category, Complaint
from .inputs import ComplaintCreateSerializer
from .serializers import (
    CategorySerializer,
    ComplaintSerializer,
    IdentitySerializer,
    TimelineEventSerializer,
    registration_receipt,
)


def complaint_queryset(user):
    return selectors.complaints_for(user).select_related(*selectors.COMPLAINT_RELATED)


def reload(complaint: Complaint) -> Complaint:
    """The case after a write, unscoped: an action may move it out of the actor's scope."""
    return Complaint.objects.select_related(*selectors.COMPLAINT_RELATED).get(pk=complaint.pk)


class ComplaintListCreate(generics.ListCreateAPIView):
    """List the complaints in your data scope, or register one (complaint.register)."""

    serializer_class = ComplaintSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ComplaintFilter
    ordering_fields = ORDERING_FIELDS
    ordering = ["-received_at", "-id"]

    def get_queryset(self):
        return complaint_queryset(self.request.user)

    @extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer})
    # As the public intake (issue #18): no idempotency lookup before the work, the case's rows
    # and the record in one statement (core.idempotency, core.batch).
    @idempotent(lookup_first=False, batched=True)
    def post(self, request, *args, **kwargs):
        user = request.user
        if not user.has_permission("complaint.register"):
            raise Forbidden(_("You do not have permission to register complaints."))
        serializer = ComplaintCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        # The transaction is ours, or the idempotency record's (its batch is open then): either
        # rolls back whole on any error, so no savepoint; the rows are written as one batch.
        with transaction.atomic(savepoint=not batch.is_open()), batch.deferred():
            complaint = services.complaint_register(
                actor=user, savepoint=False, **serializer.service_kwargs()
            )
        context = {"request": request, "receipt": registration_receipt(user, complaint)}
        # The case as registered, not read back: its related rows are the objects it was made
        # with (category, units, person, time rule); the rest are the model's defaults.
        return Response(
            ComplaintSerializer(complaint, context=context).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"{request.path.rstrip('/')}/{complaint.pk}"},
        )


class ComplaintDetail(generics.RetrieveAPIView):
    serializer_class = ComplaintSerializer

    def get_object(self):
        return reload(selectors.get_complaint(self.request.user, self.kwargs["pk"]))


class ComplaintTimeline(APIView):
    """The timeline; internal notes only for the handling side and the office (policies)."""

    @extend_schema(responses=TimelineEventSerializer(many=True))
    def get(self, request, pk: int):
        complaint = selectors.get_complaint(request.user, pk)
        internal = policies.reads_internal(request.user, complaint)
        events = selectors.timeline(complaint, public_only=not internal).order_by("at", "id")
        return Response(TimelineEventSerializer(events, many=True).data)


class ComplaintComplainant(APIView):
    """The complainant's identity (complainant.view only; every read is audited)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("reason", OpenApiTypes.STR, description="Why you need to see it.")
        ],
        responses={200: IdentitySerializer, 404: OpenApiResponse(description="Not found")},
    )
    def get(self, request, pk: int):
        complaint = selectors.get_complaint(request.user, pk)
        if not policies.can_view_identity(request.user, complaint):
            raise Http404  # forbidden and missing look the same
        try:
            identity = services.identity_read(
                complaint=complaint,
                actor=request.user,
                reason=request.query_params.get("reason", "")[:500],
            )
        except Forbidden:
            raise Http404
        data = {
            "anonymous": complaint.anonymous,
            "tracking_code": complaint.tracking_code,
            **{k: identity.get(k) or "" for k in ("name", "phone", "id_number", "address")},
        }
        if "anonymous" in identity:
            data["anonymous"] = bool(identity["anonymous"])
        return Response(IdentitySerializer(data).data)


class CategoryList(generics.ListAPIView):
    serializer_class = CategorySerializer
    filter_backends: list = []

    def get_queryset(self):
        return Category.objects.filter(is_active=True).order_by("sort_order", "id")
