"""REST API of the complaint engine (API.md): register, list, read, timeline, protected identity,
and one POST action per workflow step. Reads go through ``selectors`` (out of scope = 404);
writes go through ``services`` (illegal transition = 409).

Complainant protection (PRODUCT.md): list and detail never carry the identity; it is read only
through ``/complaints/{id}/complainant`` by users with ``complainant.view``, and every read is
audited by ``services.identity_read``. For anyone else that endpoint is a 404.
"""

from __future__ import annotations

import hashlib
import json

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import filters, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import Department, Person, StoredFile, Unit
from xiaoneng.core.selectors import people_for

from . import policies, selectors, services, sla
from .filters import ORDERING_FIELDS, ComplaintFilter
from .models import Category, Complaint, ComplaintEvent, IdempotencyKey, SlaPolicy
from .vocab import (
    ID_NUMBER_RE,
    MAX_CONTENT,
    PHONE_RE,
    Channel,
    Importance,
    Light,
    Matter,
    Satisfaction,
    Type,
    Verification,
)

# The wording is part of the API contract (like seeded data), so it is not translated.
PROTECTED_NOTICE = "投诉人信息已依规保护"
IDEMPOTENCY_HEADER = "Idempotency-Key"
COMPLAINT_RELATED = selectors.COMPLAINT_RELATED
is_overdue = selectors.is_overdue
can_view_identity = policies.can_view_identity


def complainant_block(complaint: Complaint, user) -> dict:
    """What list and detail say about the complainant: never the identity itself."""
    if can_view_identity(user, complaint):
        return {"anonymous": complaint.anonymous, "protected": False, "notice": ""}
    return {"anonymous": complaint.anonymous, "protected": True, "notice": PROTECTED_NOTICE}


# --- output ------------------------------------------------------------------------------------
class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["code", "name", "group"]


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SlaPolicyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SlaPolicy
        fields = ["id", "code", "name"]


class ComplainantBlockSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    protected = serializers.BooleanField()
    notice = serializers.CharField(allow_blank=True)


class ReceiptSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    rating_key = serializers.CharField(
        help_text="Needed with the tracking code to rate an anonymous case on the public site."
    )


class ComplaintSerializer(serializers.ModelSerializer):
    category = CategorySerializer()
    subject_unit = RefSerializer()
    subject_department = RefSerializer(allow_null=True)
    subject_person = RefSerializer(allow_null=True)
    unit = RefSerializer(allow_null=True)
    department = RefSerializer(allow_null=True)
    handler = RefSerializer(allow_null=True)
    first_inquiry_person = RefSerializer(allow_null=True)
    sla_policy = SlaPolicyRefSerializer(allow_null=True)
    overdue = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
    complainant = serializers.SerializerMethodField()
    receipt = serializers.SerializerMethodField(
        help_text="The complainant's receipt (tracking code, rating key): only in the "
        "registration response, and only for a registrar who may read the identity; null "
        "everywhere else (a named complainant then gets the tracking code by SMS)."
    )
    # "" until the case is verified / rated: read-only fields lose allow_blank unless declared.
    verification = serializers.ChoiceField(Verification.choices, allow_blank=True, read_only=True)
    satisfaction = serializers.ChoiceField(Satisfaction.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "channel",
            "type",
            "category",
            "matter",
            "importance",
            "price_related",
            "complex_matter",
            "multi_department",
            "received_at",
            "registered_at",
            "subject_unit",
            "subject_department",
            "subject_person",
            "subject_person_name",
            "title",
            "content",
            "external_ref",
            "complainant",
            "unit",
            "department",
            "first_inquiry_person",
            "handler",
            "escalation_level",
            "sla_policy",
            "sla_override_reason",
            "clock_started_at",
            "sign_by",
            "feedback_by",
            "resolve_by",
            "deadline_uncertain",
            "overdue",
            "light",
            "paused_at",
            "extension_count",
            "signed_at",
            "overdue_since",
            "redo_count",
            "reject_reason",
            "reply",
            "replied_at",
            "reported_to_supervisor",
            "verification",
            "satisfaction",
            "closed_at",
            "express_reported_at",
            "updated_at",
            "receipt",
        ]
        read_only_fields = fields

    def _now(self):
        now = self.context.get("now")
        if now is None:
            now = self.context["now"] = clock.now()
        return now

    def get_overdue(self, obj) -> bool:
        return is_overdue(obj, self._now())

    @extend_schema_field(serializers.ChoiceField(choices=Light.choices))
    def get_light(self, obj) -> str:
        return str(sla.light(obj, self._now()))

    @extend_schema_field(ComplainantBlockSerializer)
    def get_complainant(self, obj) -> dict:
        return complainant_block(obj, self.context["request"].user)

    @extend_schema_field(ReceiptSerializer(allow_null=True))
    def get_receipt(self, obj) -> dict | None:
        return self.context.get("receipt")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not policies.reads_internal(self.context["request"].user, instance):
            data["sla_override_reason"] = ""  # an internal note (policies.reads_internal)
        return data


class TimelineEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplaintEvent
        fields = ["id", "at", "action", "actor_name", "from_status", "to_status", "note", "public"]


def registration_receipt(user, complaint: Complaint) -> dict | None:
    """The complainant secrets, once, in the registration response (docs/SECURITY.md)."""
    if not can_view_identity(user, complaint):
        return None
    return services.receipt_secrets(complaint)


class IdentitySerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()
    tracking_code = serializers.CharField(
        help_text="A complainant secret: only here (audited) and on the complainant's receipt."
    )
    name = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    id_number = serializers.CharField(allow_blank=True)
    address = serializers.CharField(allow_blank=True)


# --- input -------------------------------------------------------------------------------------


class ComplainantInputSerializer(serializers.Serializer):
    """Who complained; without a name and a phone the complaint is registered as anonymous."""

    anonymous = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_phone(self, value: str) -> str:
        if value and not PHONE_RE.match(value):
            raise serializers.ValidationError(_("Enter a valid phone number."))
        return value

    def validate_id_number(self, value: str) -> str:
        if value and not ID_NUMBER_RE.match(value):
            raise serializers.ValidationError(
                _("Enter a valid ID card number (15 or 18 characters).")
            )
        return value.upper()


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 100}]})
class SubjectPersonField(serializers.Field):
    """A person id (integer) or a free-text name (string)."""

    default_error_messages = {
        "invalid": gettext_lazy("Give a person id (number) or a name (text)."),
        "unknown": gettext_lazy("Unknown person."),
        "too_long": gettext_lazy("Ensure this field has no more than 100 characters."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int):
            person = Person.objects.filter(pk=data, is_active=True).select_related("unit").first()
            if person is None:
                self.fail("unknown")
            return person
        if isinstance(data, str):
            name = data.strip()
            if len(name) > 100:
                self.fail("too_long")
            return name
        self.fail("invalid")

    def to_representation(self, value):
        return value.pk if isinstance(value, Person) else value


class ComplaintCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    type = serializers.ChoiceField(choices=Type.choices)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True)
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    subject_person = SubjectPersonField(required=False, allow_null=True)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=MAX_CONTENT)
    importance = serializers.ChoiceField(choices=Importance.choices, default=Importance.NORMAL)
    matter = serializers.ChoiceField(choices=Matter.choices, default=Matter.GENERAL)
    price_related = serializers.BooleanField(default=False)
    complex_matter = serializers.BooleanField(default=False)
    multi_department = serializers.BooleanField(default=False)
    external_ref = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    consent_publish = serializers.BooleanField(default=False)
    files = serializers.PrimaryKeyRelatedField(
        queryset=StoredFile.objects.all(), many=True, required=False, default=list
    )
    complainant = ComplainantInputSerializer()

    def validate_received_at(self, value):
        if value is not None and value > clock.now():
            raise serializers.ValidationError(_("The time received cannot be in the future."))
        return value

    def validate_files(self, value):
        user = self.context["request"].user
        if any(f.uploaded_by_id != user.pk for f in value):
            raise serializers.ValidationError(_("Only files you uploaded can be attached."))
        return value

    def validate(self, attrs):
        errors: dict[str, list[str]] = {}
        unit = attrs["unit"]
        department = attrs.get("department")
        if department is not None and department.unit_id != unit.pk:
            errors["department"] = [_("This department does not belong to the unit.")]
        person = attrs.get("subject_person")
        if isinstance(person, Person) and not person.unit.path.startswith(unit.path):
            errors["subject_person"] = [_("This person does not work in the unit.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def service_kwargs(self) -> dict:
        """validated_data → the keyword arguments of services.complaint_register."""
        data = dict(self.validated_data)
        person = data.pop("subject_person", None)
        return {
            "channel": data["channel"],
            "type": data["type"],
            "category": data["category"],
            "subject_unit": data["unit"],
            "subject_department": data.get("department"),
            "subject_person": person if isinstance(person, Person) else None,
            "subject_person_name": person if isinstance(person, str) else "",
            "title": data["title"],
            "content": data["content"],
            "received_at": data.get("received_at"),
            "matter": data["matter"],
            "importance": data["importance"],
            "price_related": data["price_related"],
            "complex_matter": data["complex_matter"],
            "multi_department": data["multi_department"],
            "external_ref": data["external_ref"],
            "consent_publish": data["consent_publish"],
            "complainant": dict(data["complainant"]),
            "attachments": list(data["files"]),
        }


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DispatchSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.filter(is_active=True), required=False, allow_null=True
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        department = attrs.get("department")
        if department is not None and department.unit_id != attrs["unit"].pk:
            raise serializers.ValidationError(
                {"department": [_("This department does not belong to the unit.")]}
            )
        return attrs


class AssignSerializer(serializers.Serializer):
    handler = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["handler"].queryset = people_for(request.user).filter(is_active=True)


class ReplySerializer(serializers.Serializer):
    content = serializers.CharField(max_length=MAX_CONTENT)
    to_supervisor = serializers.BooleanField(default=False)


@extend_schema_field({"$ref": "#/components/schemas/VerificationEnum"})
class VerificationResultField(serializers.ChoiceField):
    """The same choice set as Complaint.verification (component VerificationEnum): a reference
    keeps the schema free of a second enum name for it."""


class VerifySerializer(serializers.Serializer):
    result = VerificationResultField(choices=Verification.choices)


class ReturnVisitSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=120)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- views -------------------------------------------------------------------------------------
def complaint_queryset(user):
    return selectors.complaints_for(user).select_related(*COMPLAINT_RELATED)


def reload(complaint: Complaint) -> Complaint:
    """The case after a write, unscoped: an action may move it out of the actor's scope."""
    return Complaint.objects.select_related(*COMPLAINT_RELATED).get(pk=complaint.pk)


def _request_hash(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(record: IdempotencyKey, digest: str) -> Response:
    if record.request_hash != digest:
        raise Conflict(
            _("This Idempotency-Key was already used with a different request body."),
            errors={IDEMPOTENCY_HEADER: [_("Use a new key for a different request.")]},
        )
    return Response(
        record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"}
    )


IDEMPOTENCY_PARAMETER = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A repeat with the same key and body returns the first result; "
    "the same key with another body is a 409.",
)


class ComplaintListCreate(generics.ListCreateAPIView):
    """List the complaints in your data scope, or register one (complaint.register)."""

    serializer_class = ComplaintSerializer
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = ComplaintFilter
    ordering_fields = ORDERING_FIELDS
    ordering = ["-received_at", "-id"]

    def get_queryset(self):
        return complaint_queryset(self.request.user)

    @extend_schema(
        request=ComplaintCreateSerializer,
        responses={201: ComplaintSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not user.has_permission("complaint.register"):
            raise Forbidden(_("You do not have permission to register complaints."))
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        digest = ""
        if key:
            if len(key) > 200:
                raise ValidationFailed(
                    _("Invalid Idempotency-Key."),
                    errors={IDEMPOTENCY_HEADER: [_("At most 200 characters.")]},
                )
            digest = _request_hash(request.data)
            found = IdempotencyKey.objects.filter(user=user, key=key).first()
            if found is not None:
                return _replay(found, digest)
        serializer = ComplaintCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                complaint = services.complaint_register(actor=user, **serializer.service_kwargs())
                context = {"request": request, "receipt": registration_receipt(user, complaint)}
                body = ComplaintSerializer(reload(complaint), context=context).data
                if key:
                    IdempotencyKey.objects.create(
                        user=user,
                        key=key,
                        request_hash=digest,
                        response_status=status.HTTP_201_CREATED,
                        response_body=json.loads(json.dumps(body, default=str)),
                        created_at=clock.now(),
                    )
        except IntegrityError:
            found = IdempotencyKey.objects.filter(user=user, key=key).first() if key else None
            if found is None:
                raise
            return _replay(found, digest)  # a concurrent repeat won the race
        return Response(
            body,
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
        if not can_view_identity(request.user, complaint):
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


class ComplaintAction(APIView):
    """Base of the workflow actions: find the case in scope, validate, call the service."""

    service_name = ""
    input_serializer: type[serializers.Serializer] | None = None

    def post(self, request, pk: int):
        complaint = selectors.get_complaint(request.user, pk)
        data: dict = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data, context={"request": request})
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        getattr(services, self.service_name)(complaint=complaint, actor=request.user, **data)
        body = ComplaintSerializer(reload(complaint), context={"request": request}).data
        return Response(body)


# url segment → (service function, input serializer, summary)
ACTIONS: dict[str, tuple[str, type[serializers.Serializer] | None, str]] = {
    "accept": ("complaint_accept", NoteSerializer, "Accept a registered case (受理)."),
    "reject": ("complaint_reject", ReasonSerializer, "Do not accept, with the reason (不予受理)."),
    "dispatch": ("complaint_dispatch", DispatchSerializer, "Dispatch to the responsible unit."),
    "sign": ("complaint_sign", None, "The unit signs for a dispatched case (签收)."),
    "send-back": ("complaint_send_back", ReasonSerializer, "Wrong unit: send back (退单)."),
    "assign": ("complaint_assign", AssignSerializer, "Assign a handler."),
    "pause": (
        "complaint_pause",
        ReasonSerializer,
        "Pause the clock (waiting for the complainant).",
    ),
    "resume": ("complaint_resume", NoteSerializer, "Resume a paused case."),
    "request-extension": (
        "complaint_request_extension",
        ExtensionRequestSerializer,
        "Ask the office for more time.",
    ),
    "decide-extension": (
        "complaint_decide_extension",
        ExtensionDecisionSerializer,
        "Approve or refuse the pending extension request.",
    ),
    "reply": ("complaint_reply", ReplySerializer, "Reply to the complainant (有访必复)."),
    "verify": ("complaint_verify", VerifySerializer, "Record the verification outcome."),
    "return-visit": ("complaint_return_visit", ReturnVisitSerializer, "Record the return visit."),
    "reopen": ("complaint_reopen", ReasonSerializer, "Reopen a closed case."),
    "close": ("complaint_close", NoteSerializer, "Close the case (办结)."),
    "escalate": ("complaint_escalate", ReasonSerializer, "Escalate by hand (提级管理)."),
    "mark-important": (
        "complaint_mark_important",
        NoteSerializer,
        "Mark as important (reported the same day).",
    ),
}


def _action_view(segment: str, service_name: str, input_serializer, summary: str):
    name = "Complaint" + "".join(p.capitalize() for p in segment.split("-")) + "Action"
    cls = type(
        name,
        (ComplaintAction,),
        {"service_name": service_name, "input_serializer": input_serializer},
    )
    schema = extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: ComplaintSerializer,
            400: OpenApiResponse(description="Invalid input (every bad field listed)"),
            404: OpenApiResponse(description="Not found or outside your data scope"),
            409: OpenApiResponse(description="Not allowed in the current state"),
        },
        operation_id=f"complaints_{segment.replace('-', '_')}",
    )
    cls.post = schema(_copy(ComplaintAction.post))
    return cls


def _copy(func):
    def post(self, request, pk: int):
        return func(self, request, pk)

    post.__doc__ = func.__doc__
    return post


ACTION_VIEWS = {segment: _action_view(segment, *spec) for segment, spec in ACTIONS.items()}
