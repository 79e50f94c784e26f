"""Log plumbing: the request id on every record, secrets redacted, Sentry only when configured.

Records are filtered on the handlers, so whatever logger emits them (Django, Celery, gunicorn's
error log, the project's own), nothing reaches a log line before it passes through here.
"""

import contextvars
import logging
import re

from celery.signals import before_task_publish, task_postrun, task_prerun

# The id of the request being handled in this thread or task; "-" outside a request.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

REDACTED = "[redacted]"

# Anything that authenticates or identifies a respondent: API keys in headers or text, bearer
# and basic credentials, the signed survey token in /s/<token>/ paths, password fields, and the
# terms of searches.
_PATTERNS = [
    (re.compile(r"(?i)\b(Api-Key)(\s*[:=]?\s*)[^\s'\",;]+"), rf"\1\2{REDACTED}"),
    (
        re.compile(r"(?i)\b(Authorization|HTTP_AUTHORIZATION)(['\"]?\s*[:=]\s*['\"]?)[^'\"\n]+"),
        rf"\1\2{REDACTED}",
    ),
    (re.compile(r"(?i)\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    (re.compile(r"/s/[^/\s?'\"]+"), f"/s/{REDACTED}"),
    (re.compile(r"(?i)\b(password|api_key|apikey|token)=[^&\s'\"]+"), rf"\1={REDACTED}"),
    # Search boxes (pages, admin, API filters) carry what people type: customers' names,
    # e-mail addresses and phone numbers.
    (
        re.compile(r"(?i)(^|[?&])(q|search|customer_query|email|name|phone)=[^&\s'\"#]+"),
        rf"\1\2={REDACTED}",
    ),
]


def redact(text: str) -> str:
    """Return `text` with API keys, credentials and survey tokens replaced by a marker."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


@before_task_publish.connect(weak=False)
def _task_carries_request_id(headers=None, **kwargs):
    """A task queued while answering a request carries that request's id to the worker."""
    request_id = request_id_var.get()
    if headers is not None and request_id != "-":
        headers.setdefault("request_id", request_id)


@task_prerun.connect(weak=False)
def _task_logs_with_request_id(task=None, **kwargs):
    """The worker logs a task's lines with the id of the request that queued it."""
    request_id = getattr(task.request, "request_id", None) if task is not None else None
    request_id_var.set(request_id if isinstance(request_id, str) else "-")


@task_postrun.connect(weak=False)
def _task_done(**kwargs):
    request_id_var.set("-")


class RequestIdFilter(logging.Filter):
    """Stamp every record with the id of the request it was logged during."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            # django.request logs 4xx/5xx after the middleware has returned: read the id off
            # the request the record carries.
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        return True


class RedactSecretsFilter(logging.Filter):
    """Replace API keys, Authorization headers and survey tokens in the message and its extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it stands
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        # django.request and django.server attach the request (or its socket): a formatter that
        # dumps extras (JSON) would print its path and headers; keep only a redacted summary.
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            method = getattr(request, "method", "")
            path = getattr(request, "path", "")
            record.request = redact(f"{method} {path}".strip())
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def axes_client_str(username, ip_address, user_agent, path_info, request) -> str:
    """Name a sign-in attempt in django-axes' log lines without the username, address or browser.

    Who was locked out is in the admin (access attempts); the log only says where and which
    request, so a log collector holds no personal data.
    """
    if isinstance(path_info, (tuple, list)):
        path_info = path_info[0] if path_info else ""
    request_id = getattr(request, "request_id", None) or request_id_var.get()
    return f'{{path_info: "{path_info}", request_id: "{request_id}"}}'


def json_formatter_factory(**kwargs):
    """Build python-json-logger's formatter (imported lazily: plain logs do not need it)."""
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"levelname": "level", "asctime": "time", "name": "logger"},
        **kwargs,
    )


def logging_config(*, level: str, json: bool) -> dict:
    """The LOGGING dict: one console handler, request id and redaction on every record."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "crs_site.logging.RequestIdFilter"},
            "redact": {"()": "crs_site.logging.RedactSecretsFilter"},
        },
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "crs_site.logging.json_formatter_factory"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json else "plain",
                "filters": ["request_id", "redact"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # Naming Django's loggers drops the handlers Django gives them by default
            # (mail_admins, runserver's request lines): their records reach the root handler
            # above, through its filters, once.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
            # Lockouts (warnings) are worth a line; every successful sign-in is not.
            "axes": {"level": "WARNING"},
        },
    }


def _sentry_scrub(event: dict, hint) -> dict:
    """Redact URLs, headers and messages before an event leaves the process."""
    request = event.get("request") or {}
    for key in ("url", "query_string"):
        if isinstance(request.get(key), str):
            request[key] = redact(request[key])
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in ("authorization", "cookie", "x-api-key"):
            headers[name] = REDACTED
    if isinstance(event.get("transaction"), str):
        event["transaction"] = redact(event["transaction"])
    logentry = event.get("logentry") or {}
    if isinstance(logentry.get("message"), str):
        logentry["message"] = redact(logentry["message"])
    return event


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start Sentry when a DSN is configured; without one, do nothing and return False."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        # No user names, e-mail addresses, IPs or cookies: customers' and staff's personal data
        # stays in the database.
        send_default_pii=False,
        # Stack-frame variables and request bodies hold customers' names, notes and answers.
        include_local_variables=False,
        max_request_body_size="never",
        before_send=_sentry_scrub,
        before_send_transaction=_sentry_scrub,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
