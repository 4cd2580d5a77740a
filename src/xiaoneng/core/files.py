"""Uploads: the type comes from the content (never the name), sizes are capped, images are
re-encoded without metadata (EXIF GPS), and every stored file is audited.

``store_upload(upload=..., actor=...)`` is the one way in; other apps reference the
returned :class:`StoredFile` by id (``POST /api/v1/files`` → ``"files": [id, ...]``).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from . import audit, clock
from .errors import ValidationFailed
from .models import StoredFile

# Allowed content types, by what the bytes are. Office documents are zip/OLE containers
# recognised by `filetype` as such; we accept them for evidence and ledgers.
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
DOCUMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/zip",
}
AUDIO_TYPES = {"audio/mpeg", "audio/x-wav", "audio/wav", "audio/mp4", "audio/amr", "audio/aac"}
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/x-msvideo", "video/webm", "video/3gpp"}
ALLOWED = set(IMAGE_TYPES) | DOCUMENT_TYPES | AUDIO_TYPES | VIDEO_TYPES
# The public site takes only images, PDF, audio and video (issue #4).
PUBLIC_ALLOWED = set(IMAGE_TYPES) | {"application/pdf"} | AUDIO_TYPES | VIDEO_TYPES
OFFICE_ZIP_MARKERS = {
    b"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def max_bytes() -> int:
    return int(getattr(settings, "XIAONENG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None when unknown."""
    kind = filetype.guess(data)
    if kind is None:
        return None
    mime = kind.mime
    if mime == "application/zip":
        head = data[:65536]
        for marker, office in OFFICE_ZIP_MARKERS.items():
            if marker in head:
                return office
    if mime == "application/x-cfb":  # OLE2: legacy .doc/.xls
        return "application/msword"
    return mime


def _strip_image(data: bytes, mime: str) -> bytes:
    """Re-encode an image so no metadata (EXIF location, camera, comments) survives."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            fmt = IMAGE_TYPES[mime]
            pixels: Image.Image = img
            if fmt == "JPEG" and img.mode not in ("RGB", "L"):
                pixels = img.convert("RGB")
            # A new image from the pixels alone: no EXIF, XMP, ICC comments or GPS survive.
            clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
            palette = pixels.getpalette() if pixels.mode == "P" else None
            if palette:
                clean.putpalette(palette)
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationFailed(
            _("The image could not be read."), errors={"file": [_("The image could not be read.")]}
        ) from exc


def _safe_name(name: str) -> str:
    base = PurePath(name or "file").name.replace("\x00", "")[:200]
    return base or "file"


def store_upload(
    *, upload, actor=None, allowed: Iterable[str] | None = None, max_size: int | None = None
) -> StoredFile:
    """Check and store one uploaded file (a Django UploadedFile or any object with
    ``.name`` and ``.read()``). Raises ValidationFailed with a Chinese-ready message."""
    limit = max_size or max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        _too_big(limit)
    data = upload.read()
    return store_bytes(
        data=data,
        name=getattr(upload, "name", "file"),
        actor=actor,
        allowed=allowed,
        max_size=limit,
    )


def _too_big(limit: int):
    msg = _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}
    raise ValidationFailed(msg, errors={"file": [msg]})


def store_bytes(
    *,
    data: bytes,
    name: str,
    actor=None,
    allowed: Iterable[str] | None = None,
    max_size: int | None = None,
) -> StoredFile:
    limit = max_size or max_bytes()
    if len(data) > limit:
        _too_big(limit)
    if not data:
        msg = _("The file is empty.")
        raise ValidationFailed(msg, errors={"file": [msg]})
    mime = sniff(data)
    allowed_set = set(allowed) if allowed is not None else ALLOWED
    if mime is None or mime not in allowed_set:
        msg = _(
            "This kind of file is not accepted. Upload images, PDF, office documents, audio or video."
        )
        if allowed is not None and set(allowed) <= PUBLIC_ALLOWED:
            msg = _("This kind of file is not accepted. Upload images, PDF, audio or video.")
        raise ValidationFailed(msg, errors={"file": [msg]})
    if mime in IMAGE_TYPES:
        data = _strip_image(data, mime)
    name = _safe_name(name)
    with transaction.atomic():
        stored = StoredFile(
            name=name,
            size=len(data),
            content_type=mime,
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_at=clock.now(),
        )
        stored.file.save(name, ContentFile(data), save=False)
        stored.save()
        audit.record("create", stored, after={"name": name, "size": len(data), "type": mime})
    return stored
