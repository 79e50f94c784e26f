"""A loopback stand-in for Zendesk Support's cursor-based incremental ticket export.

Built from Zendesk's developer documentation (the pages are listed in
tests/integrations/test_zendesk_poller.py): `GET /api/v2/incremental/tickets/cursor.json` with
`start_time` (unix seconds, compared with each ticket's `generated_timestamp`) or `cursor`
(opaque), `include=metric_sets,users`; every page carries `after_cursor`, `after_url`,
`before_cursor`, `before_url` and `end_of_stream`; the last page of the stream still hands back
an `after_cursor` the next poll goes on from. Beyond the rate limit the answer is 429 with a
`Retry-After` header. Authentication is HTTP Basic with `{email}/token` and the API token.

The server is a real `ThreadingHTTPServer` on 127.0.0.1; the account's subdomain is the first
segment of the path (settings.CRS_ZENDESK_URL is pointed at `http://127.0.0.1:PORT/{subdomain}`).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

EXPORT_PATH = "/api/v2/incremental/tickets/cursor.json"


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def minutes(value: int | None) -> dict[str, int | None]:
    """A duration metric as Zendesk writes it: calendar and business minutes, null until reached."""
    return {"calendar": value, "business": value}


def _metric_set(
    ticket_id: int,
    *,
    created_at: dt.datetime,
    updated_at: dt.datetime,
    solved_at: dt.datetime | None,
    reply_minutes: int | None,
    solved_after_minutes: int | None,
    reopens: int,
    group_stations: int,
) -> dict[str, Any]:
    """A ticket's metric set in the shape of Zendesk's Ticket Metrics page."""
    return {
        "id": ticket_id * 10,
        "ticket_id": ticket_id,
        "url": f"https://example.zendesk.com/api/v2/ticket_metrics/{ticket_id * 10}.json",
        "group_stations": group_stations,
        "assignee_stations": 1,
        "reopens": reopens,
        "replies": 1 if reply_minutes is not None else 0,
        "assignee_updated_at": iso(updated_at),
        "requester_updated_at": iso(created_at),
        "status_updated_at": iso(updated_at),
        "initially_assigned_at": iso(created_at),
        "assigned_at": iso(created_at),
        "solved_at": iso(solved_at) if solved_at else None,
        "latest_comment_added_at": iso(updated_at),
        "reply_time_in_minutes": minutes(reply_minutes),
        "first_resolution_time_in_minutes": minutes(solved_after_minutes),
        "full_resolution_time_in_minutes": minutes(solved_after_minutes),
        "agent_wait_time_in_minutes": minutes(0 if solved_at else None),
        "requester_wait_time_in_minutes": minutes(solved_after_minutes),
        "on_hold_time_in_minutes": minutes(0),
        "created_at": iso(created_at),
        "updated_at": iso(updated_at),
    }


def ticket(
    ticket_id: int,
    *,
    created_at: dt.datetime,
    status: str = "solved",
    assignee_id: int | None = 501,
    requester_id: int | None = 9001,
    reply_minutes: int | None = 12,
    solved_after_minutes: int | None = 95,
    reopens: int = 0,
    group_stations: int = 1,
    tags: list[str] | None = None,
    satisfaction: dict[str, Any] | None = None,
    channel: str = "email",
    subject: str | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ticket and its metric set in the shapes of Zendesk's Tickets and Ticket Metrics pages."""
    solved_at = (
        created_at + dt.timedelta(minutes=solved_after_minutes)
        if solved_after_minutes is not None
        else None
    )
    updated_at = max(created_at, solved_at or created_at) + dt.timedelta(minutes=1)
    body = {
        "id": ticket_id,
        "url": f"https://example.zendesk.com/api/v2/tickets/{ticket_id}.json",
        "external_id": None,
        "via": {"channel": channel, "source": {"from": {}, "to": {}, "rel": None}},
        "created_at": iso(created_at),
        "updated_at": iso(updated_at),
        "generated_timestamp": int(updated_at.timestamp()),
        "type": "question",
        "subject": subject if subject is not None else f"Order {ticket_id} has not arrived",
        "raw_subject": subject if subject is not None else f"Order {ticket_id} has not arrived",
        "description": "Where is my parcel?",
        "priority": "normal",
        "status": status,
        "recipient": "support@example.com",
        "requester_id": requester_id,
        "submitter_id": requester_id,
        "assignee_id": assignee_id,
        "organization_id": None,
        "group_id": 360001,
        "collaborator_ids": [],
        "follower_ids": [],
        "has_incidents": False,
        "is_public": True,
        "due_at": None,
        "tags": tags or [],
        "custom_fields": [],
        "satisfaction_rating": satisfaction or {"score": "unoffered"},
        "sharing_agreement_ids": [],
        "brand_id": 1,
        "allow_channelback": False,
        "allow_attachments": True,
    }
    metric_set = _metric_set(
        ticket_id,
        created_at=created_at,
        updated_at=updated_at,
        solved_at=solved_at,
        reply_minutes=reply_minutes,
        solved_after_minutes=solved_after_minutes,
        reopens=reopens,
        group_stations=group_stations,
    )
    return body, metric_set


def deleted_ticket(ticket_id: int, *, created_at: dt.datetime) -> tuple[dict, dict | None]:
    """A deleted ticket as the export returns it: status `deleted`, subject scrubbed."""
    body, _ = ticket(ticket_id, created_at=created_at, subject="SCRUBBED")
    body.update({"status": "deleted", "description": "SCRUBBED", "satisfaction_rating": None})
    return body, None


def user(user_id: int, *, name: str, email: str, role: str = "agent") -> dict[str, Any]:
    return {"id": user_id, "name": name, "email": email, "role": role, "active": True}


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{offset}.0||{offset}|".encode()).decode()


def _offset(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(".", 1)[0])
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(cursor) from error


@dataclass
class FakeZendesk:
    subdomain: str = "acme"
    email: str = "admin@acme.example"
    api_token: str = "tok-123"
    page_size: int = 2
    # "inline": each ticket carries its `metric_set`; "side_loaded": a `metric_sets` list.
    metric_sets: str = "side_loaded"
    tickets: list[tuple[dict, dict | None]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    # Scripted answers served before the real one: (status, headers, body).
    scripted: list[tuple[int, dict[str, str], str]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, *pairs: tuple[dict, dict | None]) -> None:
        with self.lock:
            self.tickets.extend(pairs)

    def rate_limit_next(self, *, retry_after: str = "7") -> None:
        body = json.dumps({"error": "APIRateLimitExceeded", "description": "Rate limit exceeded"})
        self.scripted.append((429, {"Retry-After": retry_after}, body))

    def answer(self, path: str, query: dict[str, list[str]], auth: str) -> tuple[int, dict, str]:
        with self.lock:
            self.requests.append({"path": path, "query": query, "auth": auth})
            if self.scripted:
                return self.scripted.pop(0)
            prefix = f"/{self.subdomain}"
            expected = (
                "Basic "
                + base64.b64encode(f"{self.email}/token:{self.api_token}".encode()).decode()
            )
            if auth != expected:
                return 401, {}, json.dumps({"error": "Couldn't authenticate you"})
            if not path.startswith(prefix) or path[len(prefix) :] != EXPORT_PATH:
                return 404, {}, json.dumps({"error": "InvalidEndpoint"})
            return self._page(query)

    def _page(self, query: dict[str, list[str]]) -> tuple[int, dict, str]:
        if "cursor" in query:
            try:
                start = _offset(query["cursor"][0])
            except ValueError:
                return 400, {}, json.dumps({"error": "InvalidPaginationParameter"})
        elif "start_time" in query:
            since = int(query["start_time"][0])
            start = next(
                (
                    i
                    for i, (t, _) in enumerate(self.tickets)
                    if t.get("generated_timestamp", 0) >= since
                ),
                len(self.tickets),
            )
        else:
            return 400, {}, json.dumps({"error": "InvalidPaginationParameter"})
        include = set(",".join(query.get("include", [])).split(","))
        chosen = self.tickets[start : start + self.page_size]
        end = start + len(chosen)
        body: dict[str, Any] = {"tickets": []}
        side_loaded = []
        for t, metric_set in chosen:
            t = dict(t)
            if "metric_sets" in include and metric_set is not None:
                if self.metric_sets == "inline":
                    t["metric_set"] = metric_set
                else:
                    side_loaded.append(metric_set)
            body["tickets"].append(t)
        if "metric_sets" in include and self.metric_sets == "side_loaded":
            body["metric_sets"] = side_loaded
        if "users" in include:
            named = {t.get("assignee_id") for t, _ in chosen} | {
                t.get("requester_id") for t, _ in chosen
            }
            body["users"] = [u for u in self.users if u["id"] in named]
        base = f"https://{self.subdomain}.zendesk.com{EXPORT_PATH}"
        body.update(
            {
                "after_cursor": _cursor(end),
                "after_url": f"{base}?cursor={_cursor(end)}",
                "before_cursor": _cursor(start) if start else None,
                "before_url": f"{base}?cursor={_cursor(start)}" if start else None,
                "end_of_stream": end >= len(self.tickets),
            }
        )
        return 200, {}, json.dumps(body)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeZendesk

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        parts = urlsplit(self.path)
        status, headers, body = self.server.fake.answer(  # type: ignore[attr-defined]
            parts.path, parse_qs(parts.query), self.headers.get("Authorization", "")
        )
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


class FakeZendeskServer:
    def __init__(self, fake: FakeZendesk):
        self.fake = fake
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.fake = fake  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url_pattern(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{{subdomain}}"

    def __enter__(self) -> FakeZendeskServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
