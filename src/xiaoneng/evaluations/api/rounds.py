"""/api/v1/evaluation-rounds (+ /open, /close, /tokens, /ballots, /results, /consequences)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import ScopedPersonField, ScopedUnitField
from xiaoneng.core.errors import NotFound
from xiaoneng.core.idempotency import IdempotentCreateMixin

from .. import selectors
from ..models import Ballot, Consequence, EvaluationRound, EvaluatorGroup, Subject
from ..services import consequences as consequence_services
from ..services import rounds as services
from ..vocab import (
    ConsequenceSource,
    ConsequenceStatus,
    Measure,
    RoundStatus,
    Satisfaction,
    SubjectKind,
)
from .common import choice


class EvaluatorGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluatorGroup
        fields = ["id", "name", "weight"]
        read_only_fields = ["id"]


class RoundPersonSubjectSerializer(serializers.Serializer):
    person = ScopedPersonField()
    post = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EvaluationRoundSerializer(serializers.ModelSerializer):
    status = choice(RoundStatus.choices, "EvaluationRoundStatusEnum", read_only=True)
    subject_kind = choice(SubjectKind.choices, "EvaluationSubjectKindEnum")
    groups = EvaluatorGroupSerializer(many=True)
    units = ScopedUnitField(many=True, required=False, write_only=True)
    people = RoundPersonSubjectSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id", "title", "series", "subject_kind", "period_label", "starts_on", "ends_on",
            "status", "apply_ranking", "groups", "units", "people", "closed_at", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "closed_at", "created_at"]


class EvaluationSubjectSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    unit_id = serializers.IntegerField()
    person = serializers.CharField(source="person.name", allow_null=True, default=None)
    person_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = Subject
        fields = [
            "id", "unit_id", "unit", "person_id", "person", "post", "score", "grade",
            "grade_label", "is_poor", "rank", "ballots",
        ]  # fmt: skip
        read_only_fields = fields


class BallotMarkSerializer(serializers.Serializer):
    subject = serializers.IntegerField(source="subject_id")
    rating = choice(Satisfaction.choices, "EvaluationRatingEnum")


class BallotSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.name")
    marks = BallotMarkSerializer(many=True)

    class Meta:
        model = Ballot
        fields = ["id", "group", "submitted_at", "marks"]
        read_only_fields = fields


class BallotSubmitSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=32)
    marks = serializers.DictField(child=serializers.CharField(allow_blank=True))


class BallotTokensRequestSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    count = serializers.IntegerField(min_value=1, max_value=services.MAX_TOKENS)


class BallotTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()
    group = serializers.CharField()


class ConsequenceSerializer(serializers.ModelSerializer):
    source = choice(ConsequenceSource.choices, "ConsequenceSourceEnum")
    measure = choice(Measure.choices, "ConsequenceMeasureEnum")
    status = choice(ConsequenceStatus.choices, "ConsequenceStatusEnum")
    subject = serializers.CharField(source="subject.__str__")
    person = serializers.CharField(source="person.name", allow_null=True, default=None)
    issue = serializers.CharField(source="issue.number", allow_null=True, default=None)

    class Meta:
        model = Consequence
        fields = [
            "id", "round", "subject", "source", "measure", "consecutive", "unit", "person",
            "reason", "rectify_days", "status", "decided_at", "decision_note",
            "document_number", "issue", "deadline",
        ]  # fmt: skip
        read_only_fields = fields


class ConsequenceDecisionSerializer(serializers.Serializer):
    consequence = serializers.IntegerField()
    decision = serializers.ChoiceField(["confirm", "dismiss"])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EvaluationRoundViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Democratic evaluation rounds (民主评议). Units see the rounds they are evaluated in."""

    serializer_class = EvaluationRoundSerializer
    filterset_fields = ["status", "subject_kind", "series"]

    def get_queryset(self):
        return selectors.rounds_for(self.request.user).prefetch_related("groups")

    def get_object(self):
        return selectors.get_round(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.round_create(
            actor=self.request.user,
            title=data["title"],
            series=data["series"],
            subject_kind=data["subject_kind"],
            period_label=data["period_label"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            apply_ranking=data.get("apply_ranking", True),
            groups=[(g["name"], g["weight"]) for g in data["groups"]],
            units=data.get("units", []),
            people=[(p["person"], p.get("post", "")) for p in data.get("people", [])],
        )

    def _state(self, request, call):
        made = self.get_object()
        call(actor=request.user, round=made)
        return Response(EvaluationRoundSerializer(made, context={"request": request}).data)

    @extend_schema(request=None, responses=EvaluationRoundSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request, pk=None):
        return self._state(request, services.round_open)

    @extend_schema(request=None, responses=EvaluationRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """End voting: scores, grades and ranking, and the consequences the rules propose."""
        return self._state(request, services.round_close)

    @extend_schema(
        request=BallotTokensRequestSerializer, responses=BallotTokenSerializer(many=True)
    )
    @action(detail=True, methods=["post"])
    def tokens(self, request, pk=None):
        made = self.get_object()
        body = BallotTokensRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        group = made.groups.filter(pk=body.validated_data["group"]).first()
        if group is None:
            raise NotFound()
        links = services.tokens_create(
            actor=request.user, round=made, group=group, count=body.validated_data["count"]
        )
        data = [
            {
                "token": t.token,
                "url": request.build_absolute_uri(
                    reverse("evaluations_public:ballot", args=[t.token])
                ),
                "group": group.name,
            }
            for t in links
        ]
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], request=None, responses=BallotSerializer(many=True))
    @extend_schema(methods=["post"], request=BallotSubmitSerializer, responses=BallotSerializer)
    @action(detail=True, methods=["get", "post"])
    def ballots(self, request, pk=None):
        """GET: the anonymous ballots (marks on the subjects you may see); POST: a ballot
        entered with its one-time token (e.g. a paper ballot)."""
        made = self.get_object()
        if request.method == "GET":
            ballots = selectors.ballots_of(request.user, made)
            page = self.paginate_queryset(ballots)
            return self.get_paginated_response(BallotSerializer(page, many=True).data)
        body = BallotSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = services.ballot_lookup(body.validated_data["token"])
        if link.round_id != made.pk:
            raise NotFound()
        ballot = services.ballot_submit(
            token=body.validated_data["token"], marks=body.validated_data["marks"]
        )
        return Response(BallotSerializer(ballot).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=EvaluationSubjectSerializer(many=True))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Scores, grades and ranks (filled when the round closes), best first."""
        made = self.get_object()
        return Response(
            EvaluationSubjectSerializer(selectors.subjects_of(request.user, made), many=True).data
        )

    @extend_schema(methods=["get"], request=None, responses=ConsequenceSerializer(many=True))
    @extend_schema(
        methods=["post"], request=ConsequenceDecisionSerializer, responses=ConsequenceSerializer
    )
    @action(detail=True, methods=["get", "post"])
    def consequences(self, request, pk=None):
        """GET: the proposals and records of the round; POST: the office confirms or dismisses
        one ({"consequence": id, "decision": "confirm" | "dismiss", "note"})."""
        made = self.get_object()
        visible = selectors.consequences_of(request.user, made)
        if request.method == "GET":
            return Response(ConsequenceSerializer(visible, many=True).data)
        body = ConsequenceDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        found = visible.filter(pk=body.validated_data["consequence"]).first()
        if found is None:
            raise NotFound()
        decide = (
            consequence_services.consequence_confirm
            if body.validated_data["decision"] == "confirm"
            else consequence_services.consequence_dismiss
        )
        decide(actor=request.user, consequence=found, note=body.validated_data["note"])
        found.refresh_from_db()
        return Response(ConsequenceSerializer(found).data)
