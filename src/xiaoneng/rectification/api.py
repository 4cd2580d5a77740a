"""REST API of the ledger (issue #5, API.md): issues, rectification items with their workflow
actions (progress, request-close, verify, reopen), spot checks, and the Excel export/import jobs.
Reads go through ``selectors`` (out of scope = 404); writes through ``services`` (illegal → 409).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import filters, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints.models import Category
from xiaoneng.core import clock
from xiaoneng.core.api.fields import (
    ScopedDepartmentField,
    ScopedPersonField,
    ScopedUnitField,
    StoredFileSerializer,
    files_field,
)
from xiaoneng.core.api.files import JobSerializer
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.files import store_upload
from xiaoneng.core.params import api_params

from . import deadlines, excel, selectors, services, spotchecks
from .filters import ORDERING_FIELDS, ItemFilter
from .models import Issue, ItemEvent, RectificationItem, SpotCheck, SpotCheckResult
from .vocab import Decision, IssueSource, ItemStatus, ItemType, Light, Severity, SpotResult


# --- fields --------------------------------------------------------------------------------------
class LedgerChoiceField(serializers.ChoiceField):
    """A choice field with a fixed schema component name, so generic property names (status,
    type, source, result) never clash with other apps' enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class LedgerChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = LedgerChoiceField
    match_subclasses = True

    def get_name(self) -> str | None:
        # a field that may also be blank is the component or "" (not the component itself)
        return None if self.target.allow_blank else self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        if not self.target.allow_blank:
            return schema
        component = ResolvedComponent(
            name=self.target.enum_name,
            type=ResolvedComponent.SCHEMA,
            schema=schema,
            object=self.target,
        )
        auto_schema.registry.register_on_missing(component)
        return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}


def source_field(**kw):
    return LedgerChoiceField(IssueSource.choices, enum_name="LedgerIssueSourceEnum", **kw)


def severity_field(**kw):
    return LedgerChoiceField(Severity.choices, enum_name="LedgerIssueSeverityEnum", **kw)


def item_type_field(**kw):
    return LedgerChoiceField(ItemType.choices, enum_name="RectificationItemTypeEnum", **kw)


def item_status_field(**kw):
    return LedgerChoiceField(ItemStatus.choices, enum_name="RectificationItemStatusEnum", **kw)


def light_field(**kw):
    return LedgerChoiceField(Light.choices, enum_name="RectificationLightEnum", **kw)


def spot_result_field(**kw):
    return LedgerChoiceField(SpotResult.choices, enum_name="SpotCheckResultEnum", **kw)


class LedgerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# --- output --------------------------------------------------------------------------------------
class LedgerIssueSerializer(serializers.ModelSerializer):
    source = source_field(read_only=True)
    severity = severity_field(read_only=True)
    unit = LedgerRefSerializer()
    department = LedgerRefSerializer(allow_null=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    complaint = serializers.SerializerMethodField()
    people = LedgerRefSerializer(many=True)
    files = StoredFileSerializer(many=True)
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id", "number", "source", "source_ref", "complaint", "campaign_id", "unit",
            "department", "people", "category", "severity", "title", "description", "files",
            "found_at", "is_public", "items", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_complaint(self, obj) -> int | None:
        return obj.complaint_id


class RectificationItemSerializer(serializers.ModelSerializer):
    type = item_type_field(read_only=True)
    status = item_status_field(read_only=True)
    light = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    issue_number = serializers.CharField(source="issue.number", read_only=True)
    responsible_unit = LedgerRefSerializer()
    responsible_department = LedgerRefSerializer(allow_null=True)
    responsible_person = serializers.SerializerMethodField()
    responsible_leader = serializers.SerializerMethodField()
    closed_by = serializers.SerializerMethodField()

    class Meta:
        model = RectificationItem
        fields = [
            "id", "number", "issue", "issue_number", "type", "measures", "target", "started_at",
            "deadline", "deadline_uncertain", "light", "overdue", "responsible_unit",
            "responsible_department", "responsible_person", "responsible_leader", "status",
            "percent", "latest_progress", "close_requested_at", "closed_at", "closed_by",
            "reject_reason", "reopen_count", "flagged", "flag_reason", "is_public",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def _now(self):
        if "now" not in self.context:
            self.context["now"] = clock.now()
        return self.context["now"]

    @extend_schema_field({"type": "string", "enum": ["green", "yellow", "red"], "nullable": True})
    def get_light(self, obj) -> str | None:
        value = deadlines.light(obj, self._now())
        return str(value) if value else None

    def get_overdue(self, obj) -> bool:
        return bool(obj.status != ItemStatus.CLOSED and obj.deadline < self._now())

    def get_responsible_person(self, obj) -> str:
        return obj.person_label

    def get_responsible_leader(self, obj) -> str:
        return obj.leader_label

    def get_closed_by(self, obj) -> str:
        return services.actor_name(obj.closed_by) if obj.closed_by_id else ""


class RectificationEventSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = ItemEvent
        fields = ["id", "at", "action", "actor_name", "from_status", "to_status", "note", "files"]

    @extend_schema_field(StoredFileSerializer(many=True))
    def get_files(self, obj) -> list:
        source = obj.progress or obj.close_request
        return StoredFileSerializer(source.files.all(), many=True).data if source else []


class SpotCheckSampleSerializer(serializers.ModelSerializer):
    item_number = serializers.CharField(source="item.number", read_only=True)
    result = spot_result_field(read_only=True, allow_blank=True)

    class Meta:
        model = SpotCheckResult
        fields = ["item", "item_number", "position", "result", "note", "checked_at"]


class SpotCheckSerializer(serializers.ModelSerializer):
    sample = SpotCheckSampleSerializer(source="results", many=True, read_only=True)

    class Meta:
        model = SpotCheck
        fields = [
            "id", "number", "seed", "count", "percent", "filters", "population", "note",
            "created_at", "sample",
        ]  # fmt: skip
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------------
class LedgerIssueCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000)
    unit = ScopedUnitField()
    department = ScopedDepartmentField(required=False, allow_null=True)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    severity = severity_field(default=Severity.GENERAL)
    source = source_field()
    source_ref = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), required=False, allow_null=True, default=None
    )
    people = ScopedPersonField(many=True, required=False, default=list)
    files = files_field()

    def service_kwargs(self) -> dict:
        return dict(self.validated_data)


class RectificationItemCreateSerializer(serializers.Serializer):
    issue = serializers.PrimaryKeyRelatedField(queryset=Issue.objects.none())
    type = item_type_field()
    measures = serializers.CharField(max_length=10000)
    target = serializers.CharField(max_length=10000)
    deadline = serializers.DateField(required=False, allow_null=True)
    responsible_unit = ScopedUnitField(required=False, allow_null=True)
    responsible_person = ScopedPersonField(required=False, allow_null=True)
    responsible_leader = ScopedPersonField(required=False, allow_null=True)
    milestones = inline_serializer(
        "RectificationMilestoneInput",
        {"title": serializers.CharField(max_length=200), "due_on": serializers.DateField()},
        many=True,
        required=False,
        default=list,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["issue"].queryset = selectors.issues_for(request.user)


class RectificationProgressSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    files = files_field()


class RectificationCloseRequestSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)
    files = files_field()


class RectificationVerifySerializer(serializers.Serializer):
    decision = LedgerChoiceField(Decision.choices, enum_name="RectificationDecisionEnum")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RectificationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RectificationPublicSerializer(serializers.Serializer):
    public = serializers.BooleanField()


class SpotCheckCreateSerializer(serializers.Serializer):
    count = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    seed = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=spotchecks.MAX_SEED - 1
    )
    campaign = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    unit = ScopedUnitField(required=False, allow_null=True)
    type = item_type_field(required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if (attrs.get("count") is None) == (attrs.get("percent") is None):
            raise serializers.ValidationError(
                {"count": [_("Give either a number of items or a percentage.")]}
            )
        return attrs


class SpotCheckResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    result = spot_result_field()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# --- views ---------------------------------------------------------------------------------------
def _item(pk: int) -> RectificationItem:
    """The item after a write, unscoped (a write may change what the caller sees)."""
    return RectificationItem.objects.select_related(*selectors.ITEM_RELATED).get(pk=pk)


class IssueListCreate(generics.ListCreateAPIView):
    """Issues in your data scope; create one (rectification.manage, unit in your scope)."""

    serializer_class = LedgerIssueSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["created_at", "number", "found_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        qs = selectors.issues_for(self.request.user).prefetch_related("people", "files", "items")
        params = api_params(self.request)
        ids = {"unit_id": params.id("unit"), "campaign_id": params.id("campaign")}
        params.check()
        texts = {key: params.raw(key) for key in ("source", "number", "severity")}
        return qs.filter(**{k: v for k, v in (ids | texts).items() if v})

    @extend_schema(request=LedgerIssueCreateSerializer, responses={201: LedgerIssueSerializer})
    def post(self, request, *args, **kwargs):
        serializer = LedgerIssueCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        issue = services.issue_create(actor=request.user, **serializer.service_kwargs())
        body = LedgerIssueSerializer(
            Issue.objects.select_related(*selectors.ISSUE_RELATED).get(pk=issue.pk),
            context={"request": request},
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class IssueDetail(generics.RetrieveAPIView):
    serializer_class = LedgerIssueSerializer

    def get_object(self):
        return selectors.get_issue(self.request.user, self.kwargs["pk"])


class ItemListCreate(generics.ListCreateAPIView):
    """Rectification items in your data scope, with the ledger filters; create one."""

    serializer_class = RectificationItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ORDERING_FIELDS
    ordering = ["deadline", "id"]

    def get_queryset(self):
        return selectors.items_for(self.request.user)

    @extend_schema(
        request=RectificationItemCreateSerializer, responses={201: RectificationItemSerializer}
    )
    def post(self, request, *args, **kwargs):
        serializer = RectificationItemCreateSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        item = services.item_create(actor=request.user, **serializer.validated_data)
        body = RectificationItemSerializer(_item(item.pk), context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ItemDetail(generics.RetrieveAPIView):
    serializer_class = RectificationItemSerializer

    def get_object(self):
        return selectors.get_item(self.request.user, self.kwargs["pk"])


class ItemTimeline(APIView):
    @extend_schema(responses=RectificationEventSerializer(many=True))
    def get(self, request, pk: int):
        item = selectors.get_item(request.user, pk)
        return Response(RectificationEventSerializer(selectors.timeline(item), many=True).data)


class ItemAction(APIView):
    service = None
    input_serializer: type[serializers.Serializer] | None = None

    def post(self, request, pk: int):
        item = selectors.get_item(request.user, pk)
        serializer = self.input_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        type(self).service(item=item, actor=request.user, **serializer.validated_data)
        return Response(
            RectificationItemSerializer(_item(item.pk), context={"request": request}).data
        )


ACTIONS = {
    "progress": (services.progress_add, RectificationProgressSerializer,
                 "Report progress with evidence (moves a pending item to in progress)."),
    "request-close": (services.close_request, RectificationCloseRequestSerializer,
                      "Ask for close-out (申请销号): a summary and at least one evidence file."),
    "verify": (services.verify, RectificationVerifySerializer,
               "Verify a close-out request (核对销号): accept closes, reject returns with a reason."),
    "reopen": (services.reopen, RectificationReasonSerializer, "Reopen a closed item."),
    "public": (services.item_set_public, RectificationPublicSerializer,
               "Publish the item on the public progress page (公示) or withdraw it."),
}  # fmt: skip


def _action_view(segment: str, service, input_serializer, summary: str):
    name = "RectificationItem" + "".join(p.capitalize() for p in segment.split("-")) + "Action"
    cls = type(
        name,
        (ItemAction,),
        {"service": staticmethod(service), "input_serializer": input_serializer},
    )

    def post(self, request, pk: int):
        return ItemAction.post(self, request, pk)

    post.__doc__ = summary
    cls.post = extend_schema(
        summary=summary,
        request=input_serializer,
        responses={
            200: RectificationItemSerializer,
            400: OpenApiResponse(description="Invalid input (every bad field listed)"),
            404: OpenApiResponse(description="Not found or outside your data scope"),
            409: OpenApiResponse(description="Not allowed in the current state"),
        },
        operation_id=f"rectification_items_{segment.replace('-', '_')}",
    )(post)
    return cls


ACTION_VIEWS = {segment: _action_view(segment, *spec) for segment, spec in ACTIONS.items()}


class IssuePublic(APIView):
    @extend_schema(request=RectificationPublicSerializer, responses=LedgerIssueSerializer)
    def post(self, request, pk: int):
        issue = selectors.get_issue(request.user, pk)
        serializer = RectificationPublicSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.issue_set_public(issue=issue, actor=request.user, **serializer.validated_data)
        return Response(LedgerIssueSerializer(selectors.get_issue(request.user, pk)).data)


class ItemExport(APIView):
    """Queue an Excel export of the items matching the list filters; poll /api/v1/jobs/{id}."""

    filterset_class = ItemFilter

    @extend_schema(request=None, responses={202: JobSerializer})
    def post(self, request):
        filterset = ItemFilter(request.query_params, queryset=RectificationItem.objects.none())
        if not filterset.is_valid():
            raise ValidationFailed(
                _("Please correct the errors below."),
                errors={k: [str(m) for m in v] for k, v in filterset.errors.items()},
            )
        job = excel.start_export(actor=request.user, params=filterset.json_params())
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ItemImport(APIView):
    """Upload a ledger (.xlsx, the export layout): validated whole, imported atomically by a job."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "RectificationImportRequest", {"file": serializers.FileField()}
            )
        },
        responses={202: JobSerializer},
    )
    def post(self, request):
        if not request.user.has_permission("rectification.manage"):
            raise Forbidden(_("You do not have permission to do this."))
        upload = request.FILES.get("file")
        if upload is None:
            msg = _("Choose a file to upload.")
            raise ValidationFailed(msg, errors={"file": [msg]})
        stored = store_upload(upload=upload, actor=request.user, allowed={excel.XLSX})
        job = excel.start_import(actor=request.user, upload=stored)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SpotCheckListCreate(generics.ListCreateAPIView):
    """Spot checks (抽查核实): draw a reproducible random sample of closed items."""

    serializer_class = SpotCheckSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.spot_checks_for(self.request.user).prefetch_related("results__item")

    @extend_schema(request=SpotCheckCreateSerializer, responses={201: SpotCheckSerializer})
    def post(self, request, *args, **kwargs):
        serializer = SpotCheckCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["campaign_id"] = data.pop("campaign", None)
        check = spotchecks.spot_check_draw(actor=request.user, **data)
        return Response(SpotCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class SpotCheckDetail(generics.RetrieveAPIView):
    serializer_class = SpotCheckSerializer

    def get_object(self):
        return selectors.get_spot_check(self.request.user, self.kwargs["pk"])


class SpotCheckResults(APIView):
    """Record the result of one sampled item; a failure reopens it and leaves a referral."""

    @extend_schema(
        request=SpotCheckResultInputSerializer,
        responses={200: SpotCheckSerializer, 409: OpenApiResponse(description="Already recorded")},
    )
    def post(self, request, pk: int):
        check = selectors.get_spot_check(request.user, pk)
        serializer = SpotCheckResultInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = RectificationItem.objects.filter(pk=data["item"]).first()
        if item is None or not check.results.filter(item=item).exists():
            raise ValidationFailed(
                _("This item is not in the sample."),
                errors={"item": [_("This item is not in the sample.")]},
            )
        spotchecks.spot_check_result(
            actor=request.user,
            spot_check=check,
            item=item,
            result=data["result"],
            note=data["note"],
        )
        return Response(SpotCheckSerializer(selectors.get_spot_check(request.user, pk)).data)
