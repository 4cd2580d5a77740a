"""Idempotency-Key on the create endpoints of openness and party (API.md): a repeat with the
same key and body by the same user returns the first response; the same key with another body
(or on another endpoint) is a 409.

A stand-in with the surface of ``core.idempotency`` (issue #12: ``@idempotent`` on a ``post``,
``IdempotentCreateMixin`` wrapping ``create``), storing the keys in the complaint engine's
table of this branch. INTEGRATION: once ``core.idempotency`` exists, import ``idempotent`` and
``IdempotentCreateMixin`` from there in ``openness/api.py`` and ``party/api.py`` and delete
this module."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from xiaoneng.complaints.models import IdempotencyKey
from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, ValidationFailed

HEADER = "Idempotency-Key"
PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A repeat with the same key and body returns the first result; "
    "the same key with another body is a 409.",
)


def _digest(request) -> str:
    text = json.dumps(
        {"path": request.path, "body": request.data},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(record: IdempotencyKey, digest: str) -> Response:
    if record.request_hash != digest:
        raise Conflict(
            _("This Idempotency-Key was already used with a different request body."),
            errors={HEADER: [_("Use a new key for a different request.")]},
        )
    return Response(
        record.response_body, status=record.response_status, headers={"Idempotent-Replayed": "true"}
    )


def respond(request, create: Callable[[], Response]) -> Response:
    """Run ``create`` once per (user, key); replay its 201 response for a repeat."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return create()
    if len(key) > 200:
        raise ValidationFailed(
            _("Invalid Idempotency-Key."), errors={HEADER: [_("At most 200 characters.")]}
        )
    digest = _digest(request)
    found = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if found is not None:
        return _replay(found, digest)
    try:
        with transaction.atomic():
            response = create()
            if response.status_code == 201:
                IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    request_hash=digest,
                    response_status=201,
                    response_body=json.loads(json.dumps(response.data, default=str)),
                    created_at=clock.now(),
                )
    except IntegrityError:
        found = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if found is None:
            raise
        return _replay(found, digest)  # a concurrent repeat won the race
    return response


def idempotent(func: Callable) -> Callable:
    """Decorate a DRF create handler (``post`` / ``create``): the key is honoured on POST and
    documented in OpenAPI."""

    @functools.wraps(func)
    def wrapper(self, request, *args, **kwargs):
        if request.method != "POST":
            return func(self, request, *args, **kwargs)
        return respond(request, lambda: func(self, request, *args, **kwargs))

    return extend_schema(methods=["POST"], parameters=[PARAMETER])(wrapper)


class IdempotentCreateMixin:
    """For a generic view whose ``create`` makes the object."""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)  # type: ignore[misc]
