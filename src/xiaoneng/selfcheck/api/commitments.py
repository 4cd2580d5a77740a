"""API of public commitments (公开承诺)."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import (
    ScopedPersonField,
    ScopedUnitField,
    files_field,
)

from .. import selectors, services
from ..models import (
    Commitment,
)
from .fields import NamedChoiceField, campaign_field


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
