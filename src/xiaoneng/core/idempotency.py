"""``Idempotency-Key`` on every API create (API.md): the one implementation.

A create request may carry the header. The first successful response (2xx) is stored with a hash
of the request body; a repeat with the same key and body in the same scope replays it
(``Idempotent-Replayed: true``) and creates nothing; the same key with another body, or on
another endpoint, is a 409 (problem+json). Keys are scoped by whoever sends them: the user
(``user:<id>``), or a client the view names (the public site's system actor, an Open311 key).
Failed requests store nothing, so they can be retried with the same key.

Use::

    class ThingList(generics.ListCreateAPIView):
        @idempotent
        def post(self, request, *args, **kwargs): ...

    class ThingViewSet(IdempotentCreateMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
        ...  # create() is wrapped

The decorator also documents the header in OpenAPI. Views outside DRF (Open311) call
``find`` / ``remember`` themselves.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from . import batch, clock
from .errors import Conflict, ValidationFailed
from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 200
REPLAYED_HEADER = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A repeat with the same key and body returns the first result; "
    "the same key with another body is a 409.",
)


def key_of(request) -> str:
    """The request's key ("" without one); over 200 characters is a 400."""
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > MAX_LENGTH:
        raise ValidationFailed(
            _("Invalid Idempotency-Key."), errors={HEADER: [_("At most 200 characters.")]}
        )
    return key


def digest_of(data: Any) -> str:
    """A stable hash of a request body (JSON, or a form's fields)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def body_digest(request) -> str:
    """The hash of what was sent: the body, and the content of uploaded files if any."""
    files = getattr(request, "FILES", None)
    if not files:
        return digest_of(request.data)
    hashes: dict[str, list[str]] = {}
    for name in sorted(files):
        hashes[name] = []
        for upload in files.getlist(name):
            sha = hashlib.sha256()
            for chunk in upload.chunks():
                sha.update(chunk)
            upload.seek(0)
            hashes[name].append(sha.hexdigest())
    fields = {k: v for k, v in request.data.lists() if k not in files}
    return digest_of({"fields": fields, "files": hashes})


def user_scope(user) -> str:
    return f"user:{user.pk}"


def find(scope: str, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(scope=scope, key=key).first()


def check(record: IdempotencyKey, digest: str, endpoint: str = "") -> None:
    """A stored key may only be repeated with the same body on the same endpoint (else 409)."""
    if record.request_hash != digest or (record.endpoint and endpoint != record.endpoint):
        raise Conflict(
            _("This Idempotency-Key was already used with a different request body."),
            errors={HEADER: [_("Use a new key for a different request.")]},
        )


def remember(
    *,
    scope: str,
    key: str,
    digest: str,
    status: int,
    body: Any,
    endpoint: str = "",
    user=None,
) -> IdempotencyKey:
    """Store a successful response (inside the creating transaction: a lost race is an
    IntegrityError that rolls the creation back)."""
    return batch.insert(
        IdempotencyKey(
            scope=scope,
            key=key,
            endpoint=endpoint[:200],
            request_hash=digest,
            response_status=status,
            response_body=json.loads(json.dumps(body, default=str)),
            created_at=clock.now(),
            user=user if user is not None and user.is_authenticated else None,
        )
    )


def replay(record: IdempotencyKey) -> Response:
    return Response(
        record.response_body, status=record.response_status, headers={REPLAYED_HEADER: "true"}
    )


def respond(
    request,
    create: Callable[[], Response],
    *,
    scope: str | None = None,
    digest: str | None = None,
    user=None,
    lookup_first: bool = True,
    batched: bool = False,
) -> Response:
    """Run ``create`` once per key: replay a stored response, or create and store it.

    ``lookup_first=False`` (a busy endpoint whose work rolls back cleanly): no query before the
    work; a repeat does it again and the record's unique key rolls all of it back, then it is
    answered from the first record — also when its body no longer validates. Requests with
    files still look first (a repeat would store them again). ``batched``: ``create``'s
    deferred rows (core.batch) and the record are written in one statement."""
    key = key_of(request)
    if not key:
        return create()
    user = request.user if user is None else user
    scope = scope or user_scope(user)
    digest = digest or body_digest(request)
    endpoint = request.path
    optimistic = not lookup_first and not getattr(request, "FILES", None)
    if not optimistic:
        found = find(scope, key)
        if found is not None:
            check(found, digest, endpoint)
            return replay(found)
    try:
        with transaction.atomic(), batch.deferred() if batched else nullcontext():
            response = create()
            if 200 <= response.status_code < 300:
                remember(
                    scope=scope,
                    key=key,
                    digest=digest,
                    status=response.status_code,
                    body=response.data,
                    endpoint=endpoint,
                    user=user,
                )
        if batched:  # placeholders of a counter taken with the batch (core.batch.late_counter)
            response.data = batch.resolve(response.data)
            if response.has_header("Location"):
                response["Location"] = batch.resolve(response["Location"])
    except IntegrityError:
        found = find(scope, key)
        if found is None:
            raise
        check(found, digest, endpoint)  # a repeat, or a concurrent repeat that won the race
        return replay(found)
    except (ValidationFailed, DRFValidationError):
        found = find(scope, key) if optimistic else None
        if found is None:  # a first submission's errors are its errors
            raise
        check(found, digest, endpoint)  # a repeat whose body no longer validates
        return replay(found)
    return response


def idempotent(
    handler: Callable | None = None,
    *,
    scope: Callable[[Any], str] | None = None,
    digest: Callable[[Any], str] | None = None,
    user: Callable[[Any], Any] | None = None,
    lookup_first: bool = True,
    batched: bool = False,
):
    """Decorate a DRF create handler (``post`` / ``create`` / a POST ``@action``): the key is
    honoured on POST, and documented in OpenAPI. ``scope``, ``digest`` and ``user`` (functions
    of the request) replace the defaults: the request's user, its body's hash; ``lookup_first``
    and ``batched`` as in ``respond``."""

    def wrap(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(self, request, *args, **kwargs):
            if request.method != "POST" or not key_of(request):
                return func(self, request, *args, **kwargs)
            return respond(
                request,
                lambda: func(self, request, *args, **kwargs),
                scope=scope(request) if scope else None,
                digest=digest(request) if digest else None,
                user=user(request) if user else None,
                lookup_first=lookup_first,
                batched=batched,
            )

        return extend_schema(methods=["POST"], parameters=[PARAMETER])(wrapper)

    return wrap(handler) if handler is not None else wrap


class IdempotentCreateMixin:
    """For a generic view or viewset whose ``create`` makes the object (CreateModelMixin)."""

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
