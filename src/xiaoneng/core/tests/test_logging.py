"""Every log record carries the request id of the request that wrote it."""

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from xiaoneng.core.context import RequestContext, request_context
from xiaoneng.core.middleware import RequestContextMiddleware


@pytest.fixture
def stream():
    """The project's logging configuration, writing into a buffer."""
    out = io.StringIO()
    config = {**settings.LOGGING, "disable_existing_loggers": False}
    config["handlers"] = {
        name: {**handler, "class": "logging.StreamHandler", "stream": out}
        for name, handler in settings.LOGGING["handlers"].items()
    }
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    logging.config.dictConfig(config)
    root.setLevel(logging.INFO)
    yield out
    root.handlers[:] = handlers
    root.setLevel(level)


def test_every_handler_adds_the_request_id():
    for handler in settings.LOGGING["handlers"].values():
        assert "request_id" in handler.get("filters", [])


def test_a_record_written_inside_a_request_shows_its_id(stream):
    log = logging.getLogger("xiaoneng.test")
    with request_context(RequestContext(request_id="req-42")):
        log.warning("inside")
    log.warning("outside")
    lines = stream.getvalue().splitlines()
    assert "[req-42] xiaoneng.test: inside" in lines[0]
    assert "[-] xiaoneng.test: outside" in lines[1]


def test_the_middleware_puts_the_header_id_on_records(stream):
    def view(request):
        logging.getLogger("xiaoneng.test").warning("handled")
        return HttpResponse("ok")

    middleware = RequestContextMiddleware(view)
    response = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc123"))
    assert response["X-Request-ID"] == "abc123"
    assert "[abc123] xiaoneng.test: handled" in stream.getvalue()
