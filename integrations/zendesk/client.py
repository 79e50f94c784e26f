"""One page of Zendesk Support's cursor-based incremental ticket export.

`GET /api/v2/incremental/tickets/cursor.json?start_time=…` starts the stream, `?cursor=…` goes on
from the `after_cursor` of the page before; `include=metric_sets,users` side-loads each ticket's
metrics and the people it names. The endpoint allows 10 requests a minute and answers 429 with a
`Retry-After` header (seconds) beyond that. Zendesk's developer documentation: "Incremental
Exports" (api-reference/ticketing/ticket-management/incremental_exports) and "Using the
Incremental Export API" (documentation/ticketing/managing-tickets/using-the-incremental-export-api).

Plain `requests` rather than zenpy: zenpy's export generator walks every page by itself (the
cursor of each page, which must be stored before the next request so a crash resumes there, is
not handed back), sleeps in-process on a 429 (which would hold a Celery worker for minutes), and
drops the side-loaded metric sets the mapping needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"
INCLUDE = "metric_sets,users"
# Connect, then read: a page of 1,000 tickets with metric sets is a few megabytes.
TIMEOUT = (5, 60)
SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# When Zendesk answers 429 without a usable Retry-After, wait a full rate-limit window.
DEFAULT_RETRY_AFTER = 60


class ZendeskError(Exception):
    """The export could not be read; the message is shown on the connection page."""


class ZendeskAuthError(ZendeskError):
    """Zendesk refused the e-mail and API token (401/403): retrying will not help."""


class ZendeskRateLimited(ZendeskError):
    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(
            _("Zendesk asked to wait %(seconds)d s (rate limit).") % {"seconds": retry_after}
        )


@dataclass(frozen=True)
class ExportPage:
    tickets: list[dict[str, Any]]
    after_cursor: str | None
    end_of_stream: bool
    # Side-loaded lists, when Zendesk sends them beside the tickets rather than inside each.
    metric_sets: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)


def base_url(*, subdomain: str) -> str:
    """The account's address; settings.CRS_ZENDESK_URL holds the pattern (https://{subdomain}…)."""
    if not SUBDOMAIN_RE.match(subdomain):
        raise ZendeskError(_("Not a Zendesk subdomain: %(subdomain)s.") % {"subdomain": subdomain})
    return settings.CRS_ZENDESK_URL.format(subdomain=subdomain).rstrip("/")


def retry_after_seconds(value: str | None) -> int:
    """Seconds to wait from a Retry-After header; Zendesk sends whole seconds."""
    try:
        seconds = int(float(value or ""))
    except ValueError:
        return DEFAULT_RETRY_AFTER
    return min(max(seconds, 1), 3600)


def export_page(
    *,
    subdomain: str,
    email: str,
    api_token: str,
    cursor: str | None = None,
    start_time: int | None = None,
    session: requests.Session | None = None,
) -> ExportPage:
    """Fetch one export page, from `cursor` if there is one, else from `start_time` (unix s)."""
    params: dict[str, str | int] = {"include": INCLUDE}
    if cursor:
        params["cursor"] = cursor
    else:
        params["start_time"] = int(start_time or 0)
    http = session or requests.Session()
    try:
        response = http.get(
            base_url(subdomain=subdomain) + EXPORT_PATH,
            params=params,
            # API token authentication: "{email}/token" as the user name, the token as password.
            auth=(f"{email}/token", api_token),
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
        )
    except requests.RequestException as error:
        raise ZendeskError(
            _("Zendesk could not be reached (%(error)s).") % {"error": error.__class__.__name__}
        ) from error
    finally:
        if session is None:
            http.close()
    return _page(response)


def _page(response: requests.Response) -> ExportPage:
    if response.status_code == 429:
        raise ZendeskRateLimited(retry_after_seconds(response.headers.get("Retry-After")))
    if response.status_code in (401, 403):
        raise ZendeskAuthError(_("Zendesk refused the e-mail and API token."))
    if response.status_code != 200:
        raise ZendeskError(
            _("Zendesk answered HTTP %(status)d.") % {"status": response.status_code}
        )
    try:
        body = response.json()
    except ValueError as error:
        raise ZendeskError(_("Zendesk answered with something that is not JSON.")) from error
    if not isinstance(body, dict) or not isinstance(body.get("tickets"), list):
        raise ZendeskError(_("Zendesk's answer has no list of tickets."))
    return ExportPage(
        tickets=[t for t in body["tickets"] if isinstance(t, dict)],
        after_cursor=body.get("after_cursor") or None,
        end_of_stream=bool(body.get("end_of_stream")),
        metric_sets=[m for m in body.get("metric_sets") or [] if isinstance(m, dict)],
        users=[u for u in body.get("users") or [] if isinstance(u, dict)],
    )
