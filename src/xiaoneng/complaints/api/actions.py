"""One POST endpoint per workflow action: find the case in scope, validate, call the service."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from .inputs import (
    AssignSerializer,
    DispatchSerializer,
    ExtensionDecisionSerializer,
    ExtensionRequestSerializer,
    NoteSerializer,
    ReasonSerializer,
    ReplySerializer,
    ReturnVisitSerializer,
    VerifySerializer,
)
from .serializers import ComplaintSerializer
from .views import reload


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
