"""Issue #21 item 4: deeply nested or oversized bodies are refused with problem+json, never 500."""

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from xiaoneng.core.bodylimits import SafeJSONParser, body_limit, declared_limit, json_depth

pytestmark = pytest.mark.django_db

DEEP = "[" * 50_000 + "]" * 50_000
# Deep enough for a RecursionError in Python's decoder, small enough for every endpoint's limit.
DEEP_SMALL = "[" * 1500 + "]" * 1500


def post_raw(client, url: str, body: str | bytes, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    return body


@pytest.mark.parametrize(
    "url_name", ["api-token", "public-complaint-create", "api-units", "api-people"]
)
def test_a_deeply_nested_body_is_a_400_problem_on_public_and_staff_endpoints(org, url_name):
    client = Client()
    client.force_login(org.alice)
    for body in (DEEP_SMALL, '{"a":' * 500 + "1" + "}" * 500, '{"username": ' + DEEP_SMALL + "}"):
        assert_problem(post_raw(client, reverse(url_name), body), 400)


def test_an_unauthenticated_deep_body_never_reaches_the_parser(db):
    body = assert_problem(post_raw(Client(), reverse("api-token"), DEEP_SMALL), 400)
    assert "32" in body["detail"]
    # A body over the default 1 MiB is refused for its size before it is even read.
    huge = "[" * 600_000 + "]" * 600_000
    assert_problem(post_raw(Client(), reverse("public-complaint-create"), huge), 413)


def test_moderate_nesting_is_still_parsed(org):
    api = APIClient()
    api.force_authenticate(org.alice)
    response = api.post(reverse("api-units"), {"name": "新单位", "code": "N1"}, format="json")
    assert response.status_code == 201
    # Nesting just under the limit reaches the serializer (a validation error, not a refusal).
    nested = {"name": [[[[{"a": [1]}]]]], "code": "N2"}
    assert api.post(reverse("api-units"), nested, format="json").status_code == 400


def test_a_body_larger_than_the_json_limit_is_413(org, settings):
    settings.XIAONENG_JSON_MAX_BYTES = 1000
    client = Client()
    client.force_login(org.alice)
    big = json.dumps({"name": "x" * 2000, "code": "BIG"})
    body = assert_problem(post_raw(client, reverse("api-units"), big), 413)
    assert "1000" in body["detail"]


def test_the_token_endpoint_declares_its_own_small_limit(db):
    huge = json.dumps({"username": "bob", "password": "x" * 10_000})
    assert_problem(post_raw(Client(), reverse("api-token"), huge), 413)
    # Also for a form-encoded body: the declared limit covers any content type.
    form = "username=bob&password=" + "x" * 10_000
    assert_problem(
        post_raw(Client(), reverse("api-token"), form, "application/x-www-form-urlencoded"), 413
    )


def test_a_bad_content_length_is_a_400(db):
    response = Client().generic(
        "POST",
        reverse("api-token"),
        b"{}",
        content_type="application/json",
        CONTENT_LENGTH="nope",
    )
    assert_problem(response, 400)


def test_the_parser_itself_refuses_deep_json_without_the_middleware(settings):
    parser = SafeJSONParser()
    request = RequestFactory().post("/", DEEP, content_type="application/json")
    with pytest.raises(ParseError):
        parser.parse(request, "application/json", {})


def test_brackets_and_escaped_quotes_inside_strings_do_not_count():
    text = json.dumps({"a": "[[[[{{{{" * 100, "b": 'say \\"[[[" ' * 50, "c": [[1]]})
    assert json_depth(text) == 3
    assert json_depth('"\\\\"') == 0
    assert json_depth(b'["\\"", ["]"]]') == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab,: \n'),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(alphabet='[]{}"\\ab', max_size=4), children, max_size=3)
    ),
    max_leaves=20,
)


def true_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((true_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((true_depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_the_depth_scan_agrees_with_the_parsed_structure(value):
    assert json_depth(json.dumps(value)) == true_depth(value)
    assert json_depth(json.dumps(value, ensure_ascii=False)) == true_depth(value)


def test_views_declare_limits_by_decorator_or_attribute():
    @body_limit(10)
    def view(request):
        return None

    class View:
        max_body_bytes = 20

    def as_view():
        return None

    as_view.view_class = View
    assert declared_limit(view) == 10
    assert declared_limit(as_view) == 20
