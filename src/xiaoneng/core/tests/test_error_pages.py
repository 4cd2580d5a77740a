"""Error pages 400/403/404/500: styled inside the site layout, Chinese by default, English when
switched, with a way back; a 403 is logged as one line; the 500 page needs no database."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.views.defaults import server_error

pytestmark = [pytest.mark.django_db, pytest.mark.urls("xiaoneng.core.tests.urls_errors")]

EXPECTED = {
    # status: (url, Chinese heading, English heading)
    400: ("/test-errors/400/", "请求无法处理", "The request could not be understood"),
    403: (
        "/test-errors/403/",
        "您没有权限打开此页面",
        "You do not have permission to open this page",
    ),
    404: (
        "/no-such-page/",
        "页面不存在或不在您的数据范围内",
        "This page does not exist or is outside",
    ),
    500: ("/test-errors/500/", "服务器出错了", "Something went wrong on our side"),
}


def client_for(user, language: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("status", sorted(EXPECTED))
@pytest.mark.parametrize("language", [None, "en"])
def test_it_shows_a_styled_error_page_in_the_users_language(org, status, language):
    url, zh, en = EXPECTED[status]
    response = client_for(org.dave, language).get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f'data-status="{status}"' in html
    assert "css/xiaoneng.css" in html  # the site layout, not Django's bare page
    assert 'data-testid="error-back"' in html
    if language == "en":
        assert en in html
        assert zh not in html
        assert '<html lang="en">' in html
    else:
        assert zh in html
        assert en not in html
        assert '<html lang="zh-hans">' in html


@pytest.mark.parametrize("status", [403, 404])
def test_a_signed_in_user_keeps_the_menu_and_a_link_to_the_workbench(org, status):
    html = client_for(org.dave, None).get(EXPECTED[status][0]).content.decode()
    assert 'id="sidenav"' in html
    assert 'data-testid="error-home"' in html


def test_an_anonymous_visitor_gets_a_login_link_instead_of_the_menu(db):
    html = client_for(None, None).get("/no-such-page/").content.decode()
    assert 'data-testid="error-login"' in html
    assert 'id="sidenav"' not in html
    assert 'data-testid="logout"' not in html


def test_the_500_page_renders_without_touching_the_database(rf, django_assert_num_queries):
    request = rf.get("/anything/")
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(org, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(org.dave, None).get("/test-errors/403/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].getMessage() == "Forbidden (Permission denied): /test-errors/403/"
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback_in_the_log(org, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client_for(org.dave, None).get("/test-errors/500/")
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None


def test_a_refusal_with_a_reason_shows_the_reason(org):
    response = client_for(org.dave, None).get("/test-errors/403-reason/")
    assert response.status_code == 403
    assert "只有效能办可以这样做" in response.content.decode()


def test_an_expired_form_gets_the_styled_page_not_djangos(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.dave)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期" in html
    assert 'data-status="403"' in html
    assert "CSRF verification failed" not in html  # Django's own page
