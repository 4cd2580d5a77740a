"""REST API of 创先争优 (API.md): scoped reads, writes through ``services``."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core.api.choices import NamedChoiceField
from xiaoneng.core.api.fields import ScopedDepartmentField, ScopedPersonField, ScopedUnitField
from xiaoneng.core.idempotency import IdempotentCreateMixin, idempotent

from . import selectors, services
from .models import (
    ContactPoint,
    ContactVisit,
    PartyMember,
    PartyNomination,
    PartyOrganisation,
    StarCriterion,
    StarLevelRule,
    StarRating,
    StarScheme,
)
from .vocab import Award, OrgKind, Post, RatingStatus, Subject
from .workflow import RATING

ERRORS = {
    400: OpenApiResponse(description="Invalid input (every bad field listed)"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found or not visible to you"),
    409: OpenApiResponse(description="Not allowed in the current state (e.g. a vetoed nominee)"),
}


class OrganisationSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    secretary = ScopedPersonField(required=False, allow_null=True)
    kind = NamedChoiceField(OrgKind.choices, enum_name="PartyOrgKindEnum", default=OrgKind.BRANCH)

    class Meta:
        model = PartyOrganisation
        fields = ["id", "name", "kind", "unit", "secretary"]


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=PartyOrganisation.objects.none())
    person = ScopedPersonField()
    post = NamedChoiceField(Post.choices, enum_name="PartyPostEnum", required=False,
                            allow_blank=True, default="")  # fmt: skip

    class Meta:
        model = PartyMember
        fields = ["id", "organisation", "person", "joined_on", "commitment", "fulfilment",
                  "shows_identity", "post", "post_name"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = selectors.organisations_for(request.user)


class StarCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StarCriterion
        fields = ["id", "name", "max_score", "position"]


class StarLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = StarLevelRule
        fields = ["stars", "min_total", "min_each_percent"]


class StarSchemeSerializer(serializers.ModelSerializer):
    subject = NamedChoiceField(Subject.choices, enum_name="StarSubjectEnum")
    criteria = StarCriterionSerializer(many=True, read_only=True)
    levels = StarLevelSerializer(many=True, read_only=True)

    class Meta:
        model = StarScheme
        fields = ["id", "code", "name", "subject", "criteria", "levels"]


class RatingSerializer(serializers.ModelSerializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=StarScheme.objects.filter(is_active=True))
    unit = ScopedUnitField()
    department = ScopedDepartmentField(required=False, allow_null=True)
    person = ScopedPersonField(required=False, allow_null=True)
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text="criterion id → score",
    )
    status = NamedChoiceField(RatingStatus.choices, enum_name="StarRatingStatusEnum",
                              read_only=True)  # fmt: skip

    class Meta:
        model = StarRating
        fields = ["id", "scheme", "year", "unit", "department", "person", "subject_name",
                  "scores", "total", "stars", "status"]  # fmt: skip
        read_only_fields = ["total", "stars", "status"]


class PartyNominationSerializer(serializers.ModelSerializer):
    award = NamedChoiceField(Award.choices, enum_name="PartyAwardEnum")
    organisation = serializers.PrimaryKeyRelatedField(queryset=PartyOrganisation.objects.none())
    member = serializers.PrimaryKeyRelatedField(
        queryset=PartyMember.objects.none(), required=False, allow_null=True
    )
    year = serializers.IntegerField(source="nomination.year", min_value=2000, max_value=2100)
    reason = serializers.CharField(source="nomination.reason", required=False, allow_blank=True)
    status = serializers.CharField(source="nomination.status", read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta:
        model = PartyNomination
        fields = ["id", "award", "organisation", "member", "year", "reason", "status",
                  "nomination", "findings"]  # fmt: skip
        read_only_fields = ["nomination"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = selectors.organisations_for(request.user)
            self.fields["member"].queryset = selectors.members_for(request.user)

    def get_findings(self, obj) -> list[dict]:
        request = self.context.get("request")
        findings = obj.nomination.findings
        return selectors.visible_findings(request.user, findings) if request else []


class PartyDecideSerializer(serializers.Serializer):
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ContactSerializer(serializers.ModelSerializer):
    leader = ScopedPersonField()
    unit = ScopedUnitField()

    class Meta:
        model = ContactPoint
        fields = ["id", "leader", "unit", "since", "note"]


class ContactVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactVisit
        fields = ["id", "visited_on", "findings", "help_given"]


class OrganisationList(IdempotentCreateMixin, generics.ListCreateAPIView):
    serializer_class = OrganisationSerializer
    filterset_fields = ["unit", "kind"]

    def get_queryset(self):
        return selectors.organisations_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.organisation_create(
            actor=self.request.user, **serializer.validated_data
        )


class MemberList(IdempotentCreateMixin, generics.ListCreateAPIView):
    """Party members (承诺践诺, 亮身份, 党员示范岗/先锋岗); POST records or updates a person's."""

    serializer_class = MemberSerializer
    filterset_fields = ["organisation", "post", "shows_identity"]

    def get_queryset(self):
        return selectors.members_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.member_save(
            actor=self.request.user, **serializer.validated_data
        )


class SchemeList(generics.ListAPIView):
    """The 评星定级 schemes with their criteria and level rules (data)."""

    serializer_class = StarSchemeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.schemes()


class RatingList(IdempotentCreateMixin, generics.ListCreateAPIView):
    """Yearly star ratings; total and stars are computed from the scores by the rules."""

    serializer_class = RatingSerializer
    filterset_fields = ["scheme", "year", "unit", "stars", "status"]

    def get_queryset(self):
        return selectors.ratings_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.rating_create(
            actor=self.request.user, **serializer.validated_data
        )


class RatingAction(APIView):
    @extend_schema(summary="confirm / reopen", request=None, operation_id="star_ratings_action",
                   responses={200: RatingSerializer, **ERRORS})  # fmt: skip
    def post(self, request, pk: int, action: str):
        if action not in RATING.transitions:
            raise Http404
        rating = selectors.get_rating(request.user, pk)
        services.rating_act(actor=request.user, rating=rating, action=action)
        rating.refresh_from_db()
        return Response(RatingSerializer(rating, context={"request": request}).data)


class NominationList(generics.ListCreateAPIView):
    """先进基层党组织 / 优秀共产党员 nominations, checked by the accountability awards check."""

    serializer_class = PartyNominationSerializer
    filterset_fields = ["award", "organisation"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PartyNomination.objects.none()
        return selectors.nominations_for(self.request.user)

    @extend_schema(responses={201: PartyNominationSerializer, **ERRORS})
    @idempotent
    def post(self, request, *args, **kwargs):
        data = PartyNominationSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        base = v.pop("nomination")
        nomination = services.nominate(
            actor=request.user, year=base["year"], reason=base.get("reason", ""), **v
        )
        body = PartyNominationSerializer(nomination, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class NominationDecide(APIView):
    @extend_schema(
        summary="confirm / reject (a vetoed nominee is 409 without an override reason)",
        operation_id="party_nominations_decide",
        request=PartyDecideSerializer,
        responses={200: PartyNominationSerializer, **ERRORS},
    )
    def post(self, request, pk: int, action: str):
        if action not in ("confirm", "reject"):
            raise Http404
        nomination = selectors.get_nomination(request.user, pk)
        data = PartyDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.decide(
            actor=request.user, nomination=nomination, action=action, **data.validated_data
        )
        nomination.nomination.refresh_from_db()
        return Response(PartyNominationSerializer(nomination, context={"request": request}).data)


class ContactList(IdempotentCreateMixin, generics.ListCreateAPIView):
    """领导干部联系点: leaders linked to grass-roots units."""

    serializer_class = ContactSerializer
    filterset_fields = ["leader", "unit"]

    def get_queryset(self):
        return selectors.contacts_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.contact_create(
            actor=self.request.user, **serializer.validated_data
        )


class ContactVisits(APIView):
    @extend_schema(responses={200: ContactVisitSerializer(many=True)})
    def get(self, request, pk: int):
        point = selectors.get_contact(request.user, pk)
        return Response(ContactVisitSerializer(point.visits.all(), many=True).data)

    @extend_schema(request=ContactVisitSerializer,
                   responses={201: ContactVisitSerializer, **ERRORS})  # fmt: skip
    @idempotent
    def post(self, request, pk: int):
        point = selectors.get_contact(request.user, pk)
        data = ContactVisitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_record(actor=request.user, point=point, **data.validated_data)
        return Response(ContactVisitSerializer(visit).data, status=status.HTTP_201_CREATED)
