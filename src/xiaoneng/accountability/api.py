"""REST API of accountability (API.md): cases with their workflow and the people examined,
the measures ladder, the annual assessment and award nominations. Reads go through
``selectors``/``policies`` (a case the caller may not see is a 404); writes through
``services`` (illegal step → 409, lacking the role → 403)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core.idempotency import idempotent
from xiaoneng.core.services.base import require_permission

from . import selectors
from . import serializers as s
from .models import Indicator, Measure
from .services import assessment, awards, cases

ERRORS = {
    400: OpenApiResponse(description="Invalid input (every bad field listed)"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found or not visible to you"),
    409: OpenApiResponse(description="Not allowed in the current state"),
}


# --- cases -------------------------------------------------------------------------------------
class CaseListCreate(generics.ListCreateAPIView):
    """Accountability cases visible to the caller (office, 纪检监察, leaders; a unit's principal
    leader for that unit's cases), newest first."""

    serializer_class = s.CaseSerializer
    filterset_fields = ["status", "source", "unit"]
    ordering_fields = ["created_at", "number", "step_due_at"]

    def get_queryset(self):
        return selectors.cases_for(self.request.user)

    @extend_schema(
        request=s.CaseCreateSerializer, responses={201: s.CaseDetailSerializer, **ERRORS}
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        require_permission(request.user, "accountability.manage")
        data = s.CaseCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        case = cases.case_create(actor=request.user, **data.validated_data)
        return Response(s.CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseFromSource(APIView):
    @extend_schema(
        summary="Open a case from a verified complaint, an inspection finding or an overdue "
        "supervision order (pre-filled, linked both ways)",
        request=s.CaseFromSourceSerializer,
        responses={201: s.CaseDetailSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request):
        require_permission(request.user, "accountability.manage")
        data = s.CaseFromSourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = cases.case_from_source(source=v["source"], pk=v["id"], actor=request.user)
        return Response(s.CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = s.CaseDetailSerializer

    def get_object(self):
        return selectors.get_case(self.request.user, self.kwargs["pk"])


class CaseTransition(APIView):
    @extend_schema(
        summary="Take one workflow step (review, file, dismiss, investigate, propose, "
        "send_back, approve, serve, appeal, close)",
        request=s.TransitionSerializer,
        responses={200: s.CaseDetailSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        case = selectors.get_case(request.user, pk)
        data = s.TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        case = cases.transition(
            case, v["action"], actor=request.user, note=v["note"], appeal_waived=v["appeal_waived"]
        )
        return Response(s.CaseDetailSerializer(case).data)


class CaseSubjects(APIView):
    """The people the case examines (一案双查) with their findings and measures."""

    @extend_schema(responses=s.SubjectSerializer(many=True))
    def get(self, request, pk: int):
        case = selectors.get_case(request.user, pk)
        return Response(
            s.SubjectSerializer(case.subjects.select_related("measure"), many=True).data
        )

    @extend_schema(
        request=s.SubjectCreateSerializer, responses={201: s.SubjectSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        case = selectors.get_case(request.user, pk)
        data = s.SubjectCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        subject = cases.subject_add(case=case, actor=request.user, **data.validated_data)
        return Response(s.SubjectSerializer(subject).data, status=status.HTTP_201_CREATED)


class CaseMeasure(APIView):
    """One person's finding and measure (or a referral's outcome)."""

    def _subject(self, request, pk: int, subject_pk: int):
        case = selectors.get_case(request.user, pk)
        return get_object_or_404(case.subjects.select_related("case", "measure"), pk=subject_pk)

    @extend_schema(
        request=s.SubjectUpdateSerializer, responses={200: s.SubjectSerializer, **ERRORS}
    )
    def patch(self, request, pk: int, subject_pk: int):
        subject = self._subject(request, pk, subject_pk)
        data = s.SubjectUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        clear = "measure" in v and v["measure"] is None
        subject = cases.subject_update(
            subject=subject,
            actor=request.user,
            finding=v.get("finding"),
            measure=v.get("measure"),
            clear_measure=clear,
            measure_note=v.get("measure_note"),
            referral_outcome=v.get("referral_outcome"),
        )
        return Response(s.SubjectSerializer(subject).data)

    @extend_schema(request=s.DecideSerializer, responses={204: None, **ERRORS})
    def delete(self, request, pk: int, subject_pk: int):
        subject = self._subject(request, pk, subject_pk)
        cases.subject_remove(
            subject=subject,
            actor=request.user,
            reason=request.data.get("reason", "") if hasattr(request.data, "get") else "",
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeasureList(generics.ListAPIView):
    """The measures ladder (data, light to heavy)."""

    serializer_class = s.MeasureSerializer
    queryset = Measure.objects.all()
    pagination_class = None
    filter_backends: list = []


# --- annual assessment -------------------------------------------------------------------------
class SchemeListCreate(generics.ListCreateAPIView):
    serializer_class = s.SchemeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.schemes_for(self.request.user).prefetch_related("indicators", "vetoes")

    @extend_schema(request=s.SchemeCreateSerializer, responses={201: s.SchemeSerializer, **ERRORS})
    @idempotent
    def post(self, request, *args, **kwargs):
        data = s.SchemeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = assessment.scheme_create(actor=request.user, **data.validated_data)
        return Response(s.SchemeSerializer(scheme).data, status=status.HTTP_201_CREATED)


class SchemeDetail(generics.RetrieveAPIView):
    serializer_class = s.SchemeSerializer

    def get_object(self):
        return selectors.get_scheme(self.request.user, self.kwargs["pk"])


class IndicatorDetail(APIView):
    @extend_schema(request=s.IndicatorSerializer, responses={200: s.IndicatorSerializer, **ERRORS})
    def patch(self, request, pk: int):
        indicator = get_object_or_404(Indicator.objects.select_related("scheme"), pk=pk)
        selectors.get_scheme(request.user, indicator.scheme_id)
        data = s.IndicatorSerializer(indicator, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        indicator = assessment.indicator_save(
            actor=request.user, scheme=indicator.scheme, indicator=indicator, **data.validated_data
        )
        return Response(s.IndicatorSerializer(indicator).data)


class AssessmentList(generics.ListAPIView):
    """One year's assessed units with score, grade, vetoes and rank (``?scheme=`` or ``?year=``)."""

    serializer_class = s.AssessmentSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        schemes = selectors.schemes_for(self.request.user)
        scheme = None
        if params.get("scheme", "").isdigit():
            scheme = schemes.filter(pk=int(params["scheme"])).first()
        elif params.get("year", "").isdigit():
            scheme = schemes.filter(year=int(params["year"])).first()
        else:
            scheme = schemes.first()
        if scheme is None:
            return selectors.Assessment.objects.none()
        return selectors.assessments_for(self.request.user, scheme)


class AssessmentDetail(generics.RetrieveAPIView):
    serializer_class = s.AssessmentDetailSerializer

    def get_object(self):
        return selectors.get_assessment(self.request.user, self.kwargs["pk"])


class AssessmentCompute(APIView):
    @extend_schema(
        summary="Compute (or recompute) a scheme's scores from the other apps",
        request=s.SchemeRefSerializer,
        responses={200: s.SchemeSerializer, **ERRORS},
    )
    def post(self, request):
        data = s.SchemeRefSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = selectors.get_scheme(request.user, data.validated_data["scheme"])
        assessment.compute(scheme=scheme, actor=request.user)
        scheme.refresh_from_db()
        return Response(s.SchemeSerializer(scheme).data)


def _scheme_action(action: str):
    class SchemeAction(APIView):
        @extend_schema(
            summary=f"{action.capitalize()} the year's assessment",
            request=s.SchemeRefSerializer,
            responses={200: s.SchemeSerializer, **ERRORS},
            operation_id=f"assessments_{action}",
        )
        def post(self, request):
            data = s.SchemeRefSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            scheme = selectors.get_scheme(request.user, data.validated_data["scheme"])
            scheme = assessment.scheme_transition(scheme=scheme, actor=request.user, action=action)
            return Response(s.SchemeSerializer(scheme).data)

    SchemeAction.__name__ = f"Assessment{action.capitalize()}"
    return SchemeAction


AssessmentLock = _scheme_action("lock")
AssessmentUnlock = _scheme_action("unlock")
AssessmentPublish = _scheme_action("publish")


class AssessmentAdjust(APIView):
    @extend_schema(
        request=s.AdjustSerializer, responses={200: s.AssessmentDetailSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        target = selectors.get_assessment(request.user, pk)
        data = s.AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        indicator = None
        if v["indicator"]:
            indicator = Indicator.objects.filter(pk=v["indicator"], scheme=target.scheme).first()
            if indicator is None:
                raise Http404
        assessment.adjust(
            assessment=target,
            actor=request.user,
            delta=v["delta"],
            reason=v["reason"],
            indicator=indicator,
        )
        return Response(
            s.AssessmentDetailSerializer(selectors.get_assessment(request.user, pk)).data
        )


# --- nominations -------------------------------------------------------------------------------
class NominationListCreate(generics.ListCreateAPIView):
    serializer_class = s.NominationSerializer
    filterset_fields = ["year", "status", "unit"]
    ordering_fields = ["nominated_at"]

    def get_queryset(self):
        return selectors.nominations_for(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        for row in response.data.get("results", []):
            row["findings"] = selectors.visible_findings(request.user, row["findings"])
        return response

    @extend_schema(
        request=s.NominationCreateSerializer, responses={201: s.NominationSerializer, **ERRORS}
    )
    @idempotent
    def post(self, request, *args, **kwargs):
        data = s.NominationCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        nomination = awards.nominate(actor=request.user, **data.validated_data)
        nomination.findings = selectors.visible_findings(request.user, nomination.findings)
        return Response(s.NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)


class NominationDetail(generics.RetrieveAPIView):
    serializer_class = s.NominationSerializer

    def get_object(self):
        nomination = selectors.get_nomination(self.request.user, self.kwargs["pk"])
        nomination.findings = selectors.visible_findings(self.request.user, nomination.findings)
        return nomination


class NominationCheck(APIView):
    @extend_schema(
        summary="Check the nominee against vetoes and open cases",
        request=None,
        responses={200: s.NominationSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        nomination = selectors.get_nomination(request.user, pk)
        awards.run_check(nomination)
        nomination.findings = selectors.visible_findings(request.user, nomination.findings)
        return Response(s.NominationSerializer(nomination).data)


def _nomination_action(action: str):
    class NominationAction(APIView):
        @extend_schema(
            summary=f"{action.capitalize()} the nomination (a vetoed nominee needs an override reason)",
            request=s.DecideSerializer,
            responses={200: s.NominationSerializer, **ERRORS},
            operation_id=f"award_nominations_{action}",
        )
        def post(self, request, pk: int):
            nomination = selectors.get_nomination(request.user, pk)
            data = s.DecideSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            nomination = awards.decide(
                nomination=nomination, actor=request.user, action=action, **data.validated_data
            )
            return Response(s.NominationSerializer(nomination).data)

    NominationAction.__name__ = f"Nomination{action.capitalize()}"
    return NominationAction


NominationConfirm = _nomination_action("confirm")
NominationReject = _nomination_action("reject")
