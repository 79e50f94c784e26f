"""Security settings in force on every page: CSP, framing, lockout, sessions, redacted logs."""

import datetime as dt
import io
import json
import logging
from types import SimpleNamespace

import pytest
import sentry_sdk
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from gunicorn.config import Config as GunicornConfig

from crs_site import gunicorn_conf
from crs_site.logging import (
    RedactSecretsFilter,
    RequestIdFilter,
    json_formatter_factory,
    logging_config,
    redact,
    sentry_init,
)
from tests.factories import EmployeeFactory, UserFactory

PASSWORD = "pass-word-123"


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_pages_send_a_policy_without_inline_scripts_or_styles(client):
    response = client.get(reverse("login"))

    policy = _csp(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_swagger_ui_runs_its_inline_script_under_the_response_nonce(client):
    response = client.get(reverse("api-docs"))

    nonce = next(v for v in _csp(response)["script-src"] if v.startswith("'nonce-"))[7:-1]
    body = response.content.decode()
    assert f'<script nonce="{nonce}">' in body
    assert f'<style nonce="{nonce}">' in body


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_plain_one_from_the_proxy(client):
    made = client.get(reverse("login"))
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-1234.abc")
    refused = client.get(reverse("login"), HTTP_X_REQUEST_ID="bad id\nforged: line")

    assert len(made["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "lb-1234.abc"
    assert refused["X-Request-ID"] != "bad id\nforged: line"
    assert len(refused["X-Request-ID"]) == 32


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Api-Key AbCd1234.s3cr3tK3yValue", "s3cr3tK3yValue"),
        ("{'HTTP_AUTHORIZATION': 'Api-Key AbCd1234.s3cr3t', 'PATH': '/'}", "s3cr3t"),
        ("header Api-Key=AbCd1234.s3cr3t sent", "s3cr3t"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload", "eyJhbGciOiJIUzI1NiJ9"),
        ('"GET /s/eyJpIjo0Mn0:1tAbc:signature/ HTTP/1.1" 200 512', "eyJpIjo0Mn0"),
        ("Not Found: /s/abc.def-ghi/", "abc.def-ghi"),
        ("POST /accounts/login/?password=hunter22", "hunter22"),
    ],
)
def test_redaction_removes_keys_credentials_and_survey_tokens(text, secret):
    cleaned = redact(text)

    assert secret not in cleaned
    assert "[redacted]" in cleaned


def test_redaction_leaves_ordinary_messages_alone():
    text = "Scored 42 employees for 2026-11-20 in 0.8 s; /teams/support/ rendered"

    assert redact(text) == text


@pytest.fixture
def console_output():
    """What the configured console handler writes, through its own filters and formatter."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_api_keys_and_survey_tokens_never_reach_the_log(client, console_output):
    logging.getLogger("crs.test").warning(
        "request headers %s", {"Authorization": "Api-Key AbCd1234.topsecretkeyvalue"}
    )
    client.get("/s/surveytoken-that-is-secret/nothing/")
    client.get(
        "/api/v1/teams/?api_key=querysecret",
        HTTP_AUTHORIZATION="Api-Key AbCd1234.anothersecretvalue",
    )

    written = console_output.getvalue()
    assert "request headers" in written
    assert "Not Found" in written  # the 404 was logged, with its path redacted
    for secret in ("topsecretkeyvalue", "surveytoken-that-is-secret", "anothersecretvalue"):
        assert secret not in written
    assert "querysecret" not in written


def test_json_logs_carry_the_request_id_and_no_raw_request():
    request = SimpleNamespace(method="GET", path="/s/tok3n/", request_id="rid-7")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/s/tok3n/",), None
    )
    record.request = request
    for log_filter in (RequestIdFilter(), RedactSecretsFilter()):
        log_filter.filter(record)

    line = json.loads(json_formatter_factory().format(record))

    assert logging_config(level="INFO", json=True)["handlers"]["console"]["formatter"] == "json"
    assert line["request_id"] == "rid-7"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /s/[redacted]/"
    assert "tok3n" not in json.dumps(line)


def test_sentry_is_not_started_without_a_dsn():
    assert settings.SENTRY_DSN == ""
    assert sentry_init(dsn="", environment="test", release="", traces_sample_rate=0) is False
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = UserFactory(username="dana")
    EmployeeFactory(user=user)
    login = reverse("login")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        wrong = client.post(login, {"username": "dana", "password": "not-it"})
        assert wrong.status_code in (200, 429)
    locked = client.post(login, {"username": "dana", "password": PASSWORD})

    assert locked.status_code == 429
    assert b'data-testid="locked-out"' in locked.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_log_lines_name_no_person_or_address(client, console_output):
    user = UserFactory(username="karlis.berzins")
    EmployeeFactory(user=user)

    client.post(reverse("login"), {"username": "karlis.berzins", "password": "not-it"})
    client.post(reverse("login"), {"username": "karlis.berzins", "password": PASSWORD})

    written = console_output.getvalue()
    assert "AXES" in written
    assert "karlis" not in written
    assert "127.0.0.1" not in written


@pytest.mark.django_db
def test_an_over_long_user_name_is_refused_at_the_field_not_a_server_error(client):
    response = client.post(reverse("login"), {"username": "x" * 300, "password": "not-it"})

    assert response.status_code == 200
    assert response.context["form"].errors["username"]


@pytest.mark.django_db
def test_a_right_password_before_the_limit_signs_in_and_resets_the_count(client):
    user = UserFactory(username="erik")
    EmployeeFactory(user=user)
    login = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": "erik", "password": "not-it"})

    signed_in = client.post(login, {"username": "erik", "password": PASSWORD})

    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("password", ["short1", "12345678901", "password123", "erikerik2026"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="erikerik2026")

    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_the_demo_password_is_strong_enough():
    validate_password(settings.CRS_DEMO_PASSWORD)


def test_sessions_end_with_the_browser_and_within_a_working_day():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


@pytest.mark.django_db
def test_admin_requires_staff(client):
    employee = EmployeeFactory(role="admin")
    client.force_login(employee.user)

    refused = client.get(reverse("admin:index"))
    employee.user.is_staff = True
    employee.user.save()
    allowed = client.get(reverse("admin:index"))

    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("admin:login"))
    assert allowed.status_code == 200


def test_gunicorn_access_lines_carry_the_request_id_and_no_survey_token():
    logger = gunicorn_conf.logger_class(GunicornConfig())
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "rid-9")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/s/eyJpIjo0Mn0:1tAbc:sig/?x=1",
        "PATH_INFO": "/s/eyJpIjo0Mn0:1tAbc:sig/",
        "QUERY_STRING": "api_key=AbCd.secret",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://crs.example/s/eyJpIjo0Mn0:1tAbc:sig/",
        "REMOTE_ADDR": "203.0.113.7",
    }

    atoms = logger.atoms(response, [], environ, dt.timedelta(milliseconds=12))
    line = gunicorn_conf.access_log_format % atoms

    assert line == '"GET /s/[redacted]/?x=1 HTTP/1.1" 200 512 12ms request_id=rid-9'
    assert "eyJpIjo0Mn0" not in atoms["f"]
    assert "secret" not in atoms["q"]


def test_gunicorn_access_lines_leave_out_what_was_searched_for():
    logger = gunicorn_conf.logger_class(GunicornConfig())
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "rid-9")])
    query = "q=Anna+Berzina&tier=vip&customer_query=anna%40example.lv"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/customers/?{query}",
        "PATH_INFO": "/customers/",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://crs.example/admin/customers/customer/?{query}",
    }

    atoms = logger.atoms(response, [], environ, dt.timedelta(milliseconds=12))
    line = gunicorn_conf.access_log_format % atoms

    assert line == (
        '"GET /customers/?q=[redacted]&tier=vip&customer_query=[redacted] HTTP/1.1" 200 512 12ms'
        " request_id=rid-9"
    )
    for atom in ("q", "f", "U"):
        assert "Berzina" not in atoms[atom]
        assert "anna%40" not in atoms[atom]


def test_sentry_starts_with_a_dsn_and_sends_no_personal_data(monkeypatch):
    started = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: started.update(options))

    assert sentry_init(
        dsn="https://key@sentry.example/1", environment="prod", release="", traces_sample_rate=0
    )
    assert started["send_default_pii"] is False
    assert started["include_local_variables"] is False
    assert started["max_request_body_size"] == "never"
    event = started["before_send"](
        {
            "request": {
                "url": "https://crs.example/s/eyJpIjo0Mn0:1tAbc:sig/",
                "headers": {"Authorization": "Api-Key AbCd.secret", "Accept": "text/html"},
            },
            "transaction": "/s/eyJpIjo0Mn0:1tAbc:sig/",
        },
        None,
    )
    assert event["request"]["url"] == "https://crs.example/s/[redacted]/"
    assert event["request"]["headers"] == {"Authorization": "[redacted]", "Accept": "text/html"}
    assert event["transaction"] == "/s/[redacted]/"


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_dodge_the_lockout(client):
    user = UserFactory(username="liga")
    EmployeeFactory(user=user)
    login = reverse("login")

    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            login,
            {"username": "liga", "password": "not-it"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
    locked = client.post(
        login, {"username": "liga", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )

    assert locked.status_code == 429
