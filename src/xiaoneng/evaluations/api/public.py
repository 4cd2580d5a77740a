"""/api/v1/public/surveys/{token}: the questions (GET) and an anonymous answer (POST), no login,
rate-limited per client (429 + Retry-After). A spent link or a closed survey is 409."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core.ratelimit import scoped_throttle

from ..services import surveys as services
from ..vocab import QuestionKind
from .common import choice


class PublicSurveyQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = choice(QuestionKind.choices, "SurveyQuestionKindEnum")
    text = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class PublicSurveySerializer(serializers.Serializer):
    title = serializers.CharField()
    intro = serializers.CharField()
    unit = serializers.CharField()
    department = serializers.CharField(allow_null=True)
    closes_at = serializers.DateTimeField()
    can_answer = serializers.BooleanField()
    message = serializers.CharField()
    questions = PublicSurveyQuestionSerializer(many=True)


class PublicSurveyAnswerSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(), help_text="question id → choice value, list or text"
    )


class PublicSurveyReceiptSerializer(serializers.Serializer):
    message = serializers.CharField()


class PublicSurveyAnswer(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [scoped_throttle("public_survey")]

    @extend_schema(request=None, responses=PublicSurveySerializer)
    def get(self, request, token: str):
        link = services.token_lookup(token)
        survey = link.batch.survey
        refusal = services.answer_refusal(link)
        return Response(
            {
                "title": survey.title,
                "intro": survey.intro,
                "unit": link.batch.unit.name,
                "department": link.batch.department.name if link.batch.department else None,
                "closes_at": survey.closes_at,
                "can_answer": not refusal,
                "message": refusal,
                "questions": [
                    {
                        "id": q.pk,
                        "kind": q.kind,
                        "text": q.text,
                        "required": q.required,
                        "choices": [list(c) for c in q.choices()],
                    }
                    for q in survey.questions.all()
                ],
            }
        )

    @extend_schema(
        request=PublicSurveyAnswerSerializer, responses={201: PublicSurveyReceiptSerializer}
    )
    def post(self, request, token: str):
        body = PublicSurveyAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.response_submit(token=token, answers=body.validated_data["answers"])
        return Response(
            {"message": _("Thank you. Your answer has been recorded anonymously.")},
            status=status.HTTP_201_CREATED,
        )
