"""Idempotency-Key on the registration: the same key and body replay the first response;
the same key with another body is a 409."""

from __future__ import annotations

import hashlib
import json

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from xiaoneng.core.errors import Conflict

from ..models import IdempotencyKey

IDEMPOTENCY_HEADER = "Idempotency-Key"


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
