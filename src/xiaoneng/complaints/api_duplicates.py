"""Duplicate suggestions and merging over the API (complaint.dispatch; out of scope = 404).

GET  /api/v1/complaints/{id}/duplicates                     suggestions in both directions
POST /api/v1/complaints/{id}/merge  {"parent": id, "note"}  merge this case into the parent
POST /api/v1/complaints/{id}/duplicates/{sid}/dismiss       not a duplicate
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core.errors import Forbidden

from . import duplicates, policies, selectors
from .api import ComplaintSerializer, reload
from .models import Complaint, DuplicateSuggestion
from .vocab import Status, SuggestionReason, SuggestionStatus


def _inline_enum(choices) -> type[serializers.CharField]:
    """A read-only code field documented with an inline enum (no new component name: the
    complaint, suggestion and other apps' "status" enums would collide)."""

    @extend_schema_field({"type": "string", "enum": list(choices.values)})
    class Field(serializers.CharField):
        pass

    return Field


class CaseRefSerializer(serializers.ModelSerializer):
    subject_unit = serializers.CharField(source="subject_unit.name")
    status = _inline_enum(Status)(read_only=True)

    class Meta:
        model = Complaint
        fields = ["id", "number", "title", "status", "received_at", "subject_unit"]


class DuplicateSuggestionSerializer(serializers.ModelSerializer):
    complaint = CaseRefSerializer()
    candidate = CaseRefSerializer()
    reason = _inline_enum(SuggestionReason)(read_only=True)
    status = _inline_enum(SuggestionStatus)(read_only=True)
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = DuplicateSuggestion
        fields = [
            "id",
            "complaint",
            "candidate",
            "reason",
            "score",
            "status",
            "created_at",
            "decided_by",
            "decided_at",
        ]

    def get_decided_by(self, obj) -> str:
        user = obj.decided_by
        if user is None:
            return ""
        return user.display_name if user.person_id else user.username


class MergeSerializer(serializers.Serializer):
    parent = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _office_case(request, pk: int) -> Complaint:
    complaint = selectors.get_complaint(request.user, pk)
    if not policies.can(request.user, complaint, "merge"):
        raise Forbidden(_("You do not have permission to do this."))
    return complaint


ERRORS = {
    403: OpenApiResponse(description="No complaint.dispatch permission"),
    404: OpenApiResponse(description="Not found or outside your data scope"),
}


class ComplaintDuplicates(APIView):
    @extend_schema(
        summary="Possible duplicates of a case (both directions).",
        responses={200: DuplicateSuggestionSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk: int):
        complaint = _office_case(request, pk)
        rows = selectors.suggestions_of(complaint)
        return Response(DuplicateSuggestionSerializer(rows, many=True).data)


class ComplaintMerge(APIView):
    @extend_schema(
        summary="Merge this case into its parent (both kept and linked).",
        request=MergeSerializer,
        responses={
            200: ComplaintSerializer,
            400: OpenApiResponse(description="Invalid parent"),
            409: OpenApiResponse(description="Not allowed in the current state"),
            **ERRORS,
        },
    )
    def post(self, request, pk: int):
        complaint = _office_case(request, pk)
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        parent_id = serializer.validated_data["parent"]
        parent = selectors.complaints_for(request.user).filter(pk=parent_id).first()
        if parent is None:
            raise serializers.ValidationError({"parent": [_("Select a valid case.")]})
        duplicates.complaint_merge(
            duplicate=complaint,
            parent=parent,
            actor=request.user,
            note=serializer.validated_data["note"],
        )
        return Response(ComplaintSerializer(reload(complaint), context={"request": request}).data)


class SuggestionDismiss(APIView):
    @extend_schema(
        summary="Dismiss a duplicate suggestion (not a duplicate).",
        request=DismissSerializer,
        responses={
            200: DuplicateSuggestionSerializer,
            409: OpenApiResponse(description="Already decided"),
            **ERRORS,
        },
    )
    def post(self, request, pk: int, sid: int):
        complaint = _office_case(request, pk)
        suggestion = get_object_or_404(selectors.suggestions_of(complaint), pk=sid)
        serializer = DismissSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        duplicates.suggestion_dismiss(
            suggestion=suggestion, actor=request.user, reason=serializer.validated_data["reason"]
        )
        suggestion = selectors.suggestions_of(complaint).get(pk=sid)
        return Response(DuplicateSuggestionSerializer(suggestion).data)
