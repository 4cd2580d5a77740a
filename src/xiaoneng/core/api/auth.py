"""Bearer tokens (API.md): POST /api/v1/auth/token → {"token", "expires_at"}; revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .. import clock
from ..models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user, name: str = "") -> tuple[str, ApiToken]:
    key = "xn_" + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        prefix=key[3:11],
        name=name[:100],
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return key, token


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.")
        key = header[1].decode(errors="ignore")
        token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
        now = clock.now()
        if token is None or token.revoked_at is not None or token.expires_at <= now:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive.")
        if user.locked_until is not None and user.locked_until > now:
            raise exceptions.AuthenticationFailed("Account locked.")
        if user.password_changed_at is not None and token.created_at < user.password_changed_at:
            # Revoked on the change already; this also covers a password set behind save().
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.user.must_change_password:
            raise exceptions.AuthenticationFailed("Change your password before using the API.")
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.api_token = token
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer tokens in the OpenAPI schema."""

    target_class = "xiaoneng.core.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "POST /api/v1/auth/token"}
