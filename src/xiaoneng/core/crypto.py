"""Field encryption for sensitive data (complainant identity), with a key from the environment."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    digest = hashlib.sha256(("xiaoneng-field-key:" + key_material).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _key() -> str:
    return settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY


def encrypt(value: str) -> str:
    if not value:
        return ""
    return _fernet(_key()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def blind_index(value: str) -> str:
    """A keyed hash for equality search (e.g. same phone) without storing the value."""
    if not value:
        return ""
    return hmac.new(_key().encode(), value.encode(), hashlib.sha256).hexdigest()
