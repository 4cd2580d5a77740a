"""HTML views show a service's refusal one way (``core.htmlerrors``), and the rule is checked on
the source: no view module catches ``ValidationFailed`` (or ``Conflict`` / ``Forbidden`` /
``NotFound``) by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

import xiaoneng
from xiaoneng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from xiaoneng.core.htmlerrors import service_call

ROOT = Path(xiaoneng.__file__).parent
CAUGHT = {"ValidationFailed", "Conflict", "Forbidden", "NotFound"}
# TODO(issue #12): core/views_org.py is being rewritten on another branch (types of the org
# pages); it moves to ``service_call`` there, then leaves this list.
NOT_YET: set[str] = set()  # every view module uses core.htmlerrors


def view_modules() -> list[Path]:
    found: set[Path] = set()
    for app in ROOT.iterdir():
        if not app.is_dir():
            continue
        found.update(app.glob("views*.py"))
        found.update(p for p in app.glob("views/**/*.py"))
    return sorted(p for p in found if "tests" not in p.parts)


def _names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(e) for e in node.elts))
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


def hand_written_catches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT)}:{node.lineno} except {', '.join(sorted(caught))}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and (caught := _names(node.type) & CAUGHT)
    ]


def test_the_rule_finds_view_modules_and_a_hand_written_catch(tmp_path):
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    assert "complaints/views/case.py" in names and "inspections/views/visits.py" in names
    assert "complaints/views_duplicates.py" in names
    sample = tmp_path / "views.py"
    sample.write_text(
        "try:\n    pass\nexcept errors.ValidationFailed:\n    pass\n"
        "try:\n    pass\nexcept (KeyError, Conflict):\n    pass\n",
        encoding="utf-8",
    )
    sample_root = tmp_path
    found = [
        f"{sample.relative_to(sample_root)}:{n.lineno}"
        for n in ast.walk(ast.parse(sample.read_text()))
        if isinstance(n, ast.ExceptHandler) and _names(n.type) & CAUGHT
    ]
    assert found == ["views.py:3", "views.py:7"]


def test_no_view_module_catches_service_errors_by_hand():
    found = [
        line
        for path in view_modules()
        if str(path.relative_to(ROOT)) not in NOT_YET
        for line in hand_written_catches(path)
    ]
    assert not found, (
        "HTML views show service errors through core.htmlerrors.service_call / "
        "@service_errors, not a hand-written except: " + "; ".join(found)
    )


# --- the mapping itself ---------------------------------------------------------------------------
class _Form(forms.Form):
    name = forms.CharField()
    service_field_aliases = {"person": "name"}


def _request():
    request = RequestFactory().post("/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_validation_goes_on_the_form_fields_through_aliases():
    request, form = _request(), _Form({"name": "x"})
    assert form.is_valid()
    with service_call(request, form=form) as call:
        raise ValidationFailed(errors={"person": ["谁？"], "other": ["别的"]})
    assert not call.ok and isinstance(call.error, ValidationFailed)
    assert form.errors["name"] == ["谁？"] and form.non_field_errors() == ["别的"]
    assert list(get_messages(request)) == []


def test_conflict_is_a_message_with_detail_and_field_messages():
    request = _request()
    with service_call(request) as call:
        raise Conflict("已处理", errors={"x": ["再看看"]})
    assert not call.ok
    assert [str(m) for m in get_messages(request)] == ["已处理 再看看"]


def test_forbidden_is_403_or_a_message_and_not_found_is_404():
    with pytest.raises(PermissionDenied), service_call(_request()):
        raise Forbidden("不可")
    request = _request()
    with service_call(request, forbidden="message") as call:
        raise Forbidden("不可")
    assert not call.ok and [str(m) for m in get_messages(request)] == ["不可"]
    with pytest.raises(Http404), service_call(_request()):
        raise NotFound()


def test_show_false_keeps_the_error_for_the_view_and_shows_nothing():
    request = _request()
    with service_call(request, show=False) as call:
        raise NotFound("链接无效")
    assert isinstance(call.error, NotFound) and list(get_messages(request)) == []
    with service_call(request) as fine:
        pass
    assert fine.ok and fine.error is None
