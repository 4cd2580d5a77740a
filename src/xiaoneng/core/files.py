"""Uploads: the type comes from the content (never the name), sizes are capped, images are
re-encoded without metadata (EXIF GPS), and every stored file is audited.

``store_upload(upload=..., actor=...)`` is the one way in; other apps reference the
returned :class:`StoredFile` by id (``POST /api/v1/files`` → ``"files": [id, ...]``).

Stored under a random name with the extension of the DETECTED type (``evil.html`` holding a PDF
is kept as ``<random>.pdf``; the name the user gave is only a label). Files are never served by
the web server: ``readable_file_or_404`` decides who may download one — the uploader, or anyone
who may see an object that references it (its model's data scope; ``FILES_VIA`` /
``FILES_OWNER`` for models without one) — and the download views answer with
``Content-Disposition: attachment`` and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterable
from pathlib import PurePath

import filetype
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from . import audit, clock
from .errors import ValidationFailed
from .models import StoredFile
from .scope import scoped

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


# The extension a stored file gets, from its detected type (never from the uploaded name).
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/zip": ".zip",
    "audio/mpeg": ".mp3",
    "audio/x-wav": ".wav",
    "audio/wav": ".wav",
    "audio/mp4": ".m4a",
    "audio/amr": ".amr",
    "audio/aac": ".aac",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/x-msvideo": ".avi",
    "video/webm": ".webm",
    "video/3gpp": ".3gp",
}


def storage_name(mime: str) -> str:
    """A random, unguessable file name (128 bits) with the extension of the detected type."""
    return secrets.token_hex(16) + EXTENSIONS.get(mime, ".bin")


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
        stored.file.save(storage_name(mime), ContentFile(data), save=False)
        stored.save()
        audit.record("create", stored, after={"name": name, "size": len(data), "type": mime})
    return stored


def files_of(actor, ids: Iterable[int]) -> list[StoredFile]:
    """The caller's own uploads with these ids; anything else is a validation error."""
    ids = [int(i) for i in ids]
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=ids, uploaded_by=actor)}
    missing = [i for i in ids if i not in found]
    if missing:
        msg = _("Unknown file: %(ids)s") % {"ids": ", ".join(map(str, missing))}
        raise ValidationFailed(msg, errors={"files": [msg]})
    return [found[i] for i in ids]


# --- who may read a stored file ----------------------------------------------------------------
def _referrers() -> list[tuple[type, str]]:
    """(model, field) for every model field pointing at StoredFile (FK or many-to-many)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.concrete
                and getattr(field, "related_model", None) is StoredFile
                and (field.many_to_many or field.many_to_one or field.one_to_one)
            ):
                found.append((model, field.name))
    return found


def visible_rows(user, model):
    """The rows of `model` the user may see: its data scope (``SCOPE``), the parent it hangs off
    (``FILES_VIA = "item"``), or its owner (``FILES_OWNER = "created_by"``); else none."""
    if getattr(model, "SCOPE", None) is not None:
        return scoped(user, model)
    via = getattr(model, "FILES_VIA", None)
    if via:
        parent = model._meta.get_field(via).related_model
        return model.objects.filter(**{f"{via}__in": visible_rows(user, parent).values("pk")})
    owner = getattr(model, "FILES_OWNER", None)
    if owner:
        return model.objects.filter(**{owner: user})
    return model.objects.none()  # fail closed: a new referrer must say who sees it


def can_read(user, stored: StoredFile) -> bool:
    """The uploader, a superuser, or anyone who may see an object referencing the file."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (stored.uploaded_by_id and stored.uploaded_by_id == user.pk):
        return True
    for model, field in _referrers():
        if visible_rows(user, model).filter(**{field: stored.pk}).exists():
            return True
    return False


def readable_file_or_404(user, pk) -> StoredFile:
    """The file if the user may read it; missing and forbidden are the same 404."""
    stored = StoredFile.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if stored is None or not stored.file or not can_read(user, stored):
        raise Http404
    return stored


def download_name(stored: StoredFile) -> str:
    """The name a download is saved under: the given name with the DETECTED type's extension
    (``evil.html`` holding a PDF downloads as ``evil.pdf``)."""
    ext = EXTENSIONS.get(stored.content_type, ".bin")
    path = PurePath(stored.name or "file")
    if path.suffix.lower() == ext or (ext == ".jpg" and path.suffix.lower() == ".jpeg"):
        return path.name
    return (path.stem or "file") + ext


def download_response(stored: StoredFile):
    """The file as a download: never rendered inline, never sniffed, never cached by others."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=download_name(stored),
        content_type=stored.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
