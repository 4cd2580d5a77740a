"""GeoReport v2 output: the same data as JSON (Spark convention) or as schemaless XML.

XML: ``<?xml version="1.0" encoding="utf-8"?>``, a root element (``services``,
``service_requests``, ``errors``…) holding one element per item; lists inside an item are
wrapped (``<attributes><attribute>…``). Booleans are ``true``/``false``, missing values empty
elements (JSON ``null``). Content types as the spec gives them.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# Wrapper element → item element for lists nested inside an item.
ITEM_NAMES = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all (a description may contain them).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return escape(_INVALID_XML.sub("", str(value)))


def _element(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{name}>")
        for key, inner in value.items():
            _element(key, inner, out)
        out.append(f"</{name}>")
    elif isinstance(value, list | tuple):
        item = ITEM_NAMES.get(name, "item")
        out.append(f"<{name}>")
        for inner in value:
            _element(item, inner, out)
        out.append(f"</{name}>")
    else:
        text = _scalar(value)
        out.append(f"<{name}>{text}</{name}>" if text else f"<{name}/>")


def to_xml(root: str, data: Any, item: str | None = None) -> str:
    """A list under ``root`` with one ``item`` element each, or a single object as ``root``."""
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if isinstance(data, list):
        out.append(f"<{root}>")
        for entry in data:
            _element(item or "item", entry, out)
        out.append(f"</{root}>")
    else:
        _element(root, data, out)
    return "".join(out)


def respond(fmt: str, data: Any, *, root: str, item: str | None = None, status: int = 200):
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, data, item).encode("utf-8"), status=status, content_type=XML_TYPE
        )
    return HttpResponse(
        json.dumps(data, ensure_ascii=False).encode("utf-8"), status=status, content_type=JSON_TYPE
    )


def errors(fmt: str, status: int, descriptions: list[str]):
    """The spec's error list: ``[{"code", "description"}]`` / ``<errors><error>…``."""
    body = [{"code": status, "description": str(text)} for text in descriptions]
    return respond(fmt, body, root="errors", item="error", status=status)
