"""The public API (no authentication): submit a complaint or report, follow it by tracking code,
and the reference lists a form needs (units, categories).

- ``POST /api/v1/public/complaints`` — JSON, or multipart/form-data with up to 5 ``attachments``
  (images, PDF, audio, video; checked by content; ≤ 20 MB each). ``Idempotency-Key`` honoured:
  a repeat with the same key and body returns the first receipt and never makes a second case.
- ``GET /api/v1/public/complaints/{tracking_code}?phone_last4=1234`` — the public view of the
  case; named cases need the last four digits of the phone; a wrong code and wrong digits are
  the same 404.
- Rate-limited per IP (``core.ratelimit``: scopes ``public_submit``, ``public_track``) → 429
  with ``Retry-After``.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.api.inputs import (
    ActiveCategoryField,
    ActiveUnitField,
    active_categories,
    active_units,
)
from xiaoneng.complaints.models import Category
from xiaoneng.complaints.vocab import PublicStatus
from xiaoneng.core import batch
from xiaoneng.core.idempotency import idempotent
from xiaoneng.core.models import Department, Unit
from xiaoneng.core.params import api_params
from xiaoneng.core.ratelimit import scoped_throttle

from . import selectors, services

PUBLIC_TYPE_VALUES = [str(t) for t in services.PUBLIC_TYPES]
PUBLIC_STATUS_VALUES = list(PublicStatus.values)


# --- input -------------------------------------------------------------------------------------
class PublicEnumField(serializers.ChoiceField):
    """A choice field whose choice set is one named schema component (``enum_name``), so the
    generic property names (``type``, ``status``) never collide with other apps' enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class PublicEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PublicEnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        return schema


def public_type_field(**kwargs) -> PublicEnumField:
    return PublicEnumField(PUBLIC_TYPE_VALUES, enum_name="PublicComplaintTypeEnum", **kwargs)


def public_status_field(**kwargs) -> PublicEnumField:
    """received (已受理), in_progress (办理中), answered (已答复), closed (已办结),
    not_accepted (不予受理)."""
    return PublicEnumField(PUBLIC_STATUS_VALUES, enum_name="PublicComplaintStatusEnum", **kwargs)


class PublicComplaintCreateSerializer(serializers.Serializer):
    type = public_type_field(help_text="complaint (投诉), report (举报) or suggestion (意见建议).")
    category = ActiveCategoryField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        help_text="A category code from GET /api/v1/public/categories.",
    )
    unit = ActiveUnitField(
        queryset=Unit.objects.filter(is_active=True),
        help_text="A unit id from GET /api/v1/public/units.",
    )
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=10000, min_length=5)
    anonymous = serializers.BooleanField(
        default=False, help_text="Anonymous complainants cannot be called back."
    )
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    consent_publish = serializers.BooleanField(default=False)
    attachments = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        help_text="multipart/form-data only: up to 5 files (images, PDF, audio, video), 20 MB each.",
    )

    def validate_attachments(self, value):
        if len(value) > services.MAX_FILES:
            raise serializers.ValidationError(
                _("Attach at most %(n)s files.") % {"n": services.MAX_FILES}
            )
        return value

    def validate(self, attrs):
        department = attrs.get("department")
        if department is not None and department.unit_id != attrs["unit"].pk:
            raise serializers.ValidationError(
                {"department": [_("This department does not belong to the unit.")]}
            )
        return attrs


def plainly_valid(data) -> dict | None:
    """The validated data of a JSON submission that PublicComplaintCreateSerializer would accept
    as is, or None: then the serializer decides (and words every error). Instantiating it
    deep-copies its eleven fields, a third of the request's own Python (issue #18), for bodies
    that are almost always plainly valid. Same rules: choices, active category and unit from
    the same snapshots, text stripped and within its lengths, no NUL or lone surrogates,
    booleans as JSON booleans; anything else (a department, files, a string "true") → None."""
    if type(data) is not dict or data.get("department") is not None or "attachments" in data:
        return None
    type_, category, unit = data.get("type"), data.get("category"), data.get("unit")
    if not (isinstance(type_, str) and type_ in PUBLIC_TYPE_VALUES):
        return None
    category = active_categories.get().get(category) if isinstance(category, str) else None
    unit = active_units.get().get(str(unit)) if type(unit) is int else None
    if category is None or unit is None:
        return None
    out = {"type": type_, "category": category, "unit": unit}
    for name, low, high in _TEXTS:
        value = data.get(name, "")
        if not isinstance(value, str) or "\x00" in value:
            return None
        value = value.strip()
        if not low <= len(value) <= high or not (value.isascii() or _no_surrogates(value)):
            return None
        out[name] = value
    for name in ("anonymous", "consent_publish"):
        value = data.get(name, False)
        if type(value) is not bool:
            return None
        out[name] = value
    out["attachments"] = []
    return out


# name, min and max length after stripping (as the serializer's CharFields)
_TEXTS = (("title", 0, 200), ("content", 5, 10000), ("name", 0, 100), ("phone", 0, 30))


def _no_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- output ------------------------------------------------------------------------------------
class PublicComplaintReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    tracking_code = serializers.CharField()
    rating_key = serializers.CharField(
        help_text="A second complainant secret, returned only here: with the tracking code it "
        "lets the complainant rate the answer of an anonymous case or ask for a redo. Keep it."
    )
    status = public_status_field()
    status_label = serializers.CharField()
    time_limit = serializers.CharField(help_text="The time limit in plain words.")
    received_at = serializers.DateTimeField()
    resolve_by = serializers.DateTimeField(allow_null=True)
    named = serializers.BooleanField(
        help_text="True when tracking needs the last 4 digits of the phone."
    )


class PublicTimelineEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    label = serializers.CharField()


class PublicComplaintStatusSerializer(serializers.Serializer):
    number = serializers.CharField()
    tracking_code = serializers.CharField()
    type = serializers.CharField()
    type_label = serializers.CharField()
    category = serializers.CharField()
    unit = serializers.CharField()
    department = serializers.CharField(allow_blank=True)
    status = public_status_field()
    status_label = serializers.CharField()
    reject_reason = serializers.CharField(allow_blank=True)
    reply = serializers.CharField(allow_blank=True)
    received_at = serializers.DateTimeField()
    resolve_by = serializers.DateTimeField(allow_null=True)
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    time_limit = serializers.CharField()
    satisfaction = serializers.CharField(allow_blank=True)
    satisfaction_label = serializers.CharField(allow_blank=True)
    timeline = PublicTimelineEventSerializer(many=True)


class PublicUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class PublicDepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "unit"]


class PublicCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "group"]


# --- helpers -----------------------------------------------------------------------------------
def receipt(complaint, *, named: bool | None = None) -> dict:
    """What the submitter gets back; `named` (a phone was given) when the caller already knows."""
    # Built as PublicComplaintReceiptSerializer would render it (a test holds them equal),
    # without instantiating it on every submission (issue #18).
    state = selectors.public_status(complaint)
    return {
        "number": str(complaint.number),
        **engine.receipt_secrets(complaint),
        "status": str(state.value),
        "status_label": str(state.label),
        "time_limit": str(selectors.time_limit_text(complaint)),
        "received_at": _DATETIME.to_representation(complaint.received_at),
        "resolve_by": _DATETIME.to_representation(complaint.resolve_by),
        "named": bool(selectors.needs_phone(complaint) if named is None else named),
    }


_DATETIME = serializers.DateTimeField()


class PublicAPIView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


# --- views -------------------------------------------------------------------------------------
class PublicComplaintCreate(PublicAPIView):
    """Submit a complaint, report or suggestion as a member of the public (no login)."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    throttle_classes = [scoped_throttle("public_submit")]

    @extend_schema(
        operation_id="public_complaint_create",
        request={
            "application/json": PublicComplaintCreateSerializer,
            "multipart/form-data": PublicComplaintCreateSerializer,
        },
        responses={
            201: PublicComplaintReceiptSerializer,
            429: OpenApiResponse(description="Too many submissions from this IP (Retry-After)."),
        },
        tags=["public"],
    )
    # No idempotency lookup before the work, the rows of the case and the record in one
    # statement (core.idempotency, core.batch; issue #18).
    @idempotent(
        user=lambda request: services.system_actor_cached(), lookup_first=False, batched=True
    )
    def post(self, request):
        data = plainly_valid(request.data)
        if data is None:
            serializer = PublicComplaintCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        # public_submit opens no savepoint of its own (issue #18): the transaction is ours, or
        # the idempotency record's (its batch is open then: no savepoint needed either, it
        # rolls back whole on any error); the case's rows and the record are one batch.
        with transaction.atomic(savepoint=not batch.is_open()), batch.deferred():
            complaint = services.public_submit(
                type=data["type"],
                category=data["category"],
                unit=data["unit"],
                department=data.get("department"),
                title=data.get("title", ""),
                content=data["content"],
                anonymous=data["anonymous"],
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                consent_publish=data["consent_publish"],
                uploads=data.get("attachments") or [],
            )
        # A public named complaint always has a phone (public_submit requires one).
        body = receipt(complaint, named=not complaint.anonymous)
        return Response(
            body,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"{request.path.rstrip('/')}/{complaint.tracking_code}"},
        )


class PublicComplaintTrack(PublicAPIView):
    """The public view of one case: status in public words, the public reply, dates and the
    public timeline. Never internal notes, staff names or the complainant's identity."""

    throttle_classes = [scoped_throttle("public_track")]

    @extend_schema(
        operation_id="public_complaint_track",
        parameters=[
            OpenApiParameter(
                "phone_last4",
                OpenApiTypes.STR,
                description="Last 4 digits of the phone given (named cases only).",
            )
        ],
        responses={
            200: PublicComplaintStatusSerializer,
            404: OpenApiResponse(description="No case matches the code (and phone digits)."),
            429: OpenApiResponse(description="Too many lookups from this IP (Retry-After)."),
        },
        tags=["public"],
    )
    def get(self, request, tracking_code: str):
        complaint = selectors.find_case(tracking_code)
        if complaint is None:
            raise Http404
        if selectors.needs_phone(complaint) and not engine.tracking_matches(
            complaint, request.query_params.get("phone_last4", "")
        ):
            raise Http404
        view = selectors.public_case(complaint)
        return Response(PublicComplaintStatusSerializer(view).data)


class PublicUnitList(PublicAPIView):
    @extend_schema(
        operation_id="public_units", responses=PublicUnitSerializer(many=True), tags=["public"]
    )
    def get(self, request):
        return Response(PublicUnitSerializer(selectors.active_units(), many=True).data)


class PublicDepartmentList(PublicAPIView):
    @extend_schema(
        operation_id="public_departments",
        parameters=[OpenApiParameter("unit", OpenApiTypes.INT, description="Only this unit's.")],
        responses=PublicDepartmentSerializer(many=True),
        tags=["public"],
    )
    def get(self, request):
        qs = selectors.active_departments()
        params = api_params(request)
        unit = params.id("unit")
        params.check()
        if unit:
            qs = qs.filter(unit_id=unit)
        return Response(PublicDepartmentSerializer(qs, many=True).data)


class PublicCategoryList(PublicAPIView):
    @extend_schema(
        operation_id="public_categories",
        responses=PublicCategorySerializer(many=True),
        tags=["public"],
    )
    def get(self, request):
        return Response(PublicCategorySerializer(selectors.active_categories(), many=True).data)
