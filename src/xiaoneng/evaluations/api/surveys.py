"""/api/v1/surveys (+ /tokens, /results, /open, /close, /publish)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import ScopedDepartmentField, ScopedUnitField
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.idempotency import IdempotentCreateMixin

from .. import rates, selectors
from ..models import Question, Survey, TokenBatch
from ..services import surveys as services
from ..vocab import Channel, QuestionKind, SurveyStatus
from .common import RateSerializer, choice


class SurveyQuestionSerializer(serializers.ModelSerializer):
    kind = choice(QuestionKind.choices, "SurveyQuestionKindEnum")
    options = serializers.ListField(child=serializers.CharField(max_length=200), required=False)

    class Meta:
        model = Question
        fields = ["id", "order", "kind", "text", "options", "required"]
        read_only_fields = ["id", "order"]


class SurveySerializer(serializers.ModelSerializer):
    status = choice(SurveyStatus.choices, "SurveyStatusEnum", read_only=True)
    units = ScopedUnitField(many=True)
    questions = SurveyQuestionSerializer(many=True, required=False)

    class Meta:
        model = Survey
        fields = [
            "id", "title", "intro", "units", "status", "opens_at", "closes_at", "is_published",
            "published_at", "questions", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "is_published", "published_at", "created_at"]


class SurveyTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()
    used = serializers.BooleanField()


class SurveyBatchSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    department = ScopedDepartmentField(required=False, allow_null=True)
    channel = choice(Channel.choices, "SurveyChannelEnum", required=False)
    size = serializers.IntegerField(min_value=1, max_value=services.MAX_BATCH, required=False)
    tokens = serializers.SerializerMethodField()

    class Meta:
        model = TokenBatch
        fields = ["id", "unit", "department", "channel", "size", "label", "tokens", "created_at"]
        read_only_fields = ["id", "created_at"]

    @extend_schema_field(SurveyTokenSerializer(many=True))
    def get_tokens(self, obj) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "token": t.token,
                "url": request.build_absolute_uri(
                    reverse("evaluations_public:answer", args=[t.token])
                ),
                "used": t.used_at is not None,
            }
            for t in obj.tokens.all()
        ]


class SurveyResultsSerializer(serializers.Serializer):
    by = serializers.CharField()
    totals = RateSerializer()
    rows = RateSerializer(many=True)
    return_visits = RateSerializer(many=True)


class SurveyPublishSerializer(serializers.Serializer):
    public = serializers.BooleanField(default=True)


class SurveyViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Satisfaction surveys (满意度测评). Units see the surveys that concern them."""

    serializer_class = SurveySerializer
    filterset_fields = ["status", "is_published"]

    def get_queryset(self):
        return selectors.surveys_for(self.request.user).prefetch_related("units", "questions")

    def get_object(self):
        return selectors.get_survey(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.survey_create(
            actor=self.request.user,
            title=data["title"],
            intro=data.get("intro", ""),
            units=data["units"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            questions=data.get("questions", []),
        )

    def _state(self, request, call):
        survey = self.get_object()
        call(actor=request.user, survey=survey)
        return Response(SurveySerializer(survey, context={"request": request}).data)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request, pk=None):
        return self._state(request, services.survey_open)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._state(request, services.survey_close)

    @extend_schema(request=SurveyPublishSerializer, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        body = SurveyPublishSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        public = body.validated_data["public"]
        return self._state(request, lambda **kw: services.survey_publish(public=public, **kw))

    @extend_schema(methods=["get"], request=None, responses=SurveyBatchSerializer(many=True))
    @extend_schema(methods=["post"], request=SurveyBatchSerializer, responses=SurveyBatchSerializer)
    @action(detail=True, methods=["get", "post"])
    def tokens(self, request, pk=None):
        """GET: the link batches (with their links); POST: issue N one-time links (or an open
        link) for a unit or department."""
        survey = self.get_object()
        context = {"request": request}
        if request.method == "GET":
            batches = selectors.batches_for(request.user, survey).prefetch_related("tokens")
            return Response(SurveyBatchSerializer(batches, many=True, context=context).data)
        body = SurveyBatchSerializer(data=request.data, context=context)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        batch = services.batch_create(
            actor=request.user,
            survey=survey,
            unit=data["unit"],
            department=data.get("department"),
            size=data.get("size", 1),
            channel=data.get("channel", Channel.TOKEN),
            label=data.get("label", ""),
        )
        return Response(
            SurveyBatchSerializer(batch, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("by", str, enum=["unit", "department", "month"]),
            OpenApiParameter("start", str, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, description="YYYY-MM-DD"),
        ],
        responses=SurveyResultsSerializer,
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Response rate and satisfaction rate ((满意 + 基本满意) / 有效答卷) by unit, department
        or month, and the complaints' return-visit ratings of the same units (own series)."""
        survey = self.get_object()
        by = request.query_params.get("by", "unit")
        if by not in ("unit", "department", "month"):
            raise ValidationFailed(errors={"by": ["unit, department, month"]})
        start, end = _dates(request)
        user = request.user
        unit_ids = selectors.unit_ids_for(user, survey)
        rows = selectors.survey_results(user, survey, by=by, start=start, end=end)
        visits_units = (
            unit_ids if unit_ids is not None else survey.units.values_list("pk", flat=True)
        )
        visits = rates.return_visit_rates(
            unit_ids=visits_units,
            start=start or timezone.localdate(survey.opens_at),
            end=end or timezone.localdate(survey.closes_at),
        )
        totals = rates.survey_totals(survey, unit_ids)
        return Response(
            {
                "by": by,
                "totals": totals.as_dict(),
                "rows": [r.as_dict() for r in rows],
                "return_visits": [r.as_dict() for r in visits],
            }
        )


def _dates(request):
    out = []
    for name in ("start", "end"):
        raw = request.query_params.get(name) or ""
        try:
            value = parse_date(raw) if raw else None
        except ValueError:
            value = None
        if raw and value is None:
            raise ValidationFailed(errors={name: ["YYYY-MM-DD"]})
        out.append(value)
    return out
