"""Webhook benchmark: Chatwoot deliveries end to end against single-row API pushes.

From a second process, in a closed loop (one delivery at a time, each waiting for its answer):

1. EVENTS Chatwoot deliveries (`conversation_status_changed`, a resolved conversation each, so
   every one writes an interaction) to the webhook served by gunicorn, processed by a Celery
   worker; the clock stops when the database holds every one of them accepted.
2. API_ROWS single-row `POST /api/v1/interactions/` of the same kind of interaction to the same
   server.

Goal: each event costs at most 1.5x a single-row POST, and none is lost (counted in the
database: events stored, accepted, interactions written). Run as `python -m bench webhook`;
`python -m bench.webhook --load` is the load generator.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVENTS = int(os.environ.get("BENCH_WEBHOOK_EVENTS", "10000"))
API_ROWS = int(os.environ.get("BENCH_WEBHOOK_API_ROWS", "2000"))
AGENT_ID = 990001
GOAL = 1.5


def _delivery(n: int, opened: dt.datetime) -> dict:
    """A resolved Chatwoot conversation, shaped as integrations/chatwoot.py reads it."""
    return {
        "event": "conversation_status_changed",
        "changed_attributes": None,
        "id": n,
        "inbox_id": 1,
        "channel": "Channel::WebWidget",
        "status": "resolved",
        "additional_attributes": {},
        "messages": [],
        "meta": {
            "sender": {"id": n, "name": f"Visitor {n}", "email": "", "type": "contact"},
            "assignee": {"id": AGENT_ID, "name": "Bench agent", "type": "user"},
        },
        "first_reply_created_at": (opened + dt.timedelta(minutes=3)).isoformat(),
        "created_at": int(opened.timestamp()),
        "timestamp": int(opened.timestamp()) + 3600,
        "updated_at": opened.timestamp() + 3600,
    }


def _api_row(n: int, opened: dt.datetime, employee_id: int) -> dict:
    return {
        "source": "bench-webhook-api",
        "external_id": str(n),
        "employee": employee_id,
        "customer_external_id": f"bench-webhook-{n}",
        "customer_name": f"Visitor {n}",
        "channel": "chat",
        "subject": f"Conversation {n}",
        "opened_at": opened.isoformat(),
        "first_response_at": (opened + dt.timedelta(minutes=3)).isoformat(),
        "resolved_at": (opened + dt.timedelta(hours=1)).isoformat(),
        "is_first_contact_resolution": True,
    }


# ---- the load generator (a second process) --------------------------------------------------


def _load(port: int, requests: list[dict]) -> dict:
    """POST each body in turn on one keep-alive connection; return the seconds and statuses."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for request in requests:
        connection.request(
            "POST", request["path"], body=request["body"], headers=request["headers"]
        )
        response = connection.getresponse()
        response.read()
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.close()
    return {"seconds": time.perf_counter() - started, "statuses": statuses}


def _run_load(port: int, requests: list[dict]) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.webhook", "--load"],
        input=json.dumps({"port": port, "requests": requests}),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(done.stdout)


# ---- the benchmark --------------------------------------------------------------------------


# As many as gunicorn has (bench.api.WORKERS).
WORKER_PROCESSES = 2


class Worker:
    """A Celery worker on the benchmark's own queue, with as many processes as gunicorn has:
    a prefork pool, as a production worker runs."""

    def __init__(self, queue: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "crs_site",
                "worker",
                "--pool=prefork",
                "--concurrency",
                str(WORKER_PROCESSES),
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],  # fmt: skip
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_worker"},
        )

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def _wait_accepted(connection, count: int, timeout: float = 1800) -> float:
    """Poll until the connection's `count` events are all processed; return when (perf time)."""
    from integrations.choices import EventStatus
    from integrations.models import InboundEvent

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = (
            InboundEvent.objects.filter(connection=connection)
            .exclude(status__in=[EventStatus.ACCEPTED, EventStatus.REFUSED, EventStatus.HELD])
            .count()
        )
        stored = InboundEvent.objects.filter(connection=connection).count()
        if stored >= count and left == 0:
            return time.perf_counter()
        time.sleep(0.2)
    raise RuntimeError("The worker did not process every event in time")


def _measure(server, connection, employee, headers: dict) -> dict:
    from customers.models import Interaction
    from integrations.choices import EventStatus
    from integrations.models import InboundEvent

    opened = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=6)
    webhook_path = f"/integrations/chatwoot/{connection.uuid}/{connection.secret}/"
    json_headers = {"Content-Type": "application/json"}
    # Warm the server's workers and the Celery worker (imports, connections) before timing.
    warm = [
        {
            "path": webhook_path,
            "body": json.dumps(_delivery(-n - 1, opened)),
            "headers": json_headers,
        }
        for n in range(8)
    ]
    _run_load(server.port, warm)
    _wait_accepted(connection, len(warm))
    api_warm = [
        {
            "path": "/api/v1/interactions/",
            "body": json.dumps(_api_row(-n - 1, opened, employee.pk)),
            "headers": headers,
        }
        for n in range(8)
    ]
    _run_load(server.port, api_warm)
    InboundEvent.objects.filter(connection=connection).delete()
    Interaction.objects.filter(source__in=[connection.source, "bench-webhook-api"]).delete()

    deliveries = [
        {"path": webhook_path, "body": json.dumps(_delivery(n, opened)), "headers": json_headers}
        for n in range(1, EVENTS + 1)
    ]
    started = time.perf_counter()
    sent = _run_load(server.port, deliveries)
    finished = _wait_accepted(connection, EVENTS)
    webhook_seconds = finished - started

    rows = [
        {
            "path": "/api/v1/interactions/",
            "body": json.dumps(_api_row(n, opened, employee.pk)),
            "headers": headers,
        }
        for n in range(1, API_ROWS + 1)
    ]
    api = _run_load(server.port, rows)

    events = InboundEvent.objects.filter(connection=connection)
    return {
        "webhook_seconds": webhook_seconds,
        "receive_seconds": sent["seconds"],
        "webhook_statuses": sent["statuses"],
        "api_seconds": api["seconds"],
        "api_statuses": api["statuses"],
        "stored": events.count(),
        "accepted": events.filter(status=EventStatus.ACCEPTED).count(),
        "interactions": Interaction.objects.filter(source=connection.source).count(),
        "api_interactions": Interaction.objects.filter(source="bench-webhook-api").count(),
    }


def _markdown(figures: dict) -> str:
    from bench.report import machine, table, today

    per_event = figures["webhook_seconds"] / EVENTS
    per_row = figures["api_seconds"] / API_ROWS
    ratio = per_event / per_row
    lost = EVENTS - figures["accepted"]
    met = ratio <= GOAL and lost == 0 and figures["interactions"] == EVENTS
    return "\n".join(
        [
            "## Webhook: Chatwoot deliveries end to end",
            "",
            f"Measured {today()} on {machine()}. gunicorn (2 sync workers) and a Celery worker "
            f"(a prefork pool of {WORKER_PROCESSES} processes), both keeping their database "
            "connections, on loopback; the deliveries come from a second process in a closed "
            "loop, one at a time. Regenerate with `python -m bench webhook` "
            "(`BENCH_WEBHOOK_EVENTS`, `BENCH_WEBHOOK_API_ROWS` change the counts).",
            "",
            table(
                [
                    {
                        "what": f"{EVENTS:,} deliveries, received (202) and processed",
                        "seconds": f"{figures['webhook_seconds']:.1f}",
                        "ms each": f"{per_event * 1000:.2f}",
                        "x single-row POST": f"{ratio:.2f}",
                    },
                    {
                        "what": "of which receiving (the sender's wait)",
                        "seconds": f"{figures['receive_seconds']:.1f}",
                        "ms each": f"{figures['receive_seconds'] / EVENTS * 1000:.2f}",
                        "x single-row POST": f"{figures['receive_seconds'] / EVENTS / per_row:.2f}",
                    },
                    {
                        "what": f"baseline: {API_ROWS:,} single-row POST /api/v1/interactions/",
                        "seconds": f"{figures['api_seconds']:.1f}",
                        "ms each": f"{per_row * 1000:.2f}",
                        "x single-row POST": "1.00",
                    },
                ]
            ),
            f"Counted in the database: {figures['stored']:,} events stored, "
            f"{figures['accepted']:,} accepted, {figures['interactions']:,} interactions written; "
            f"**{lost} lost**. Answers: {figures['webhook_statuses']} (webhook), "
            f"{figures['api_statuses']} (API). Goal at most {GOAL}x a single-row POST and none "
            f"lost: **{'met' if met else 'not met'}** ({ratio:.2f}x). The clock for the "
            "deliveries runs from the first send to the moment the last one is accepted in the "
            "database, so it holds the receipt, the queue and the processing (the batch service, "
            f"the customer rule, rescoring marks). The machine was shared (load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end).",
            "",
        ]
    )


def run(args) -> None:
    """Measure, check nothing is lost, and write the "webhook" section of BENCHMARKS.md."""
    from bench.api import Server
    from bench.report import write_section
    from customers.models import Customer, Interaction
    from integrations.choices import ConnectionKind
    from integrations.models import ExternalAgent
    from integrations.services import connection_create
    from staff.choices import ApiScope
    from staff.models import ApiKey, Employee

    queue = f"bench-webhook-{uuid.uuid4().hex[:8]}"
    # The server publishes to the queue the worker consumes (settings read it at start).
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = queue
    employee = Employee.objects.filter(is_active=True, memberships__isnull=False).order_by("pk")[0]
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Benchmark")
    ExternalAgent.objects.create(
        connection=connection, external_id=str(AGENT_ID), name="Bench agent", employee=employee
    )
    api_key, raw = ApiKey.objects.create_key(name="benchmark", scopes=list(ApiScope.values))
    headers = {"Authorization": f"Api-Key {raw}", "Content-Type": "application/json"}
    try:
        with Server() as server, Worker(queue):
            figures = _measure(server, connection, employee, headers)
    finally:
        sources = [connection.source, "bench-webhook-api"]
        Interaction.objects.filter(source__in=sources).delete()
        Customer.objects.filter(external_id__startswith=f"chatwoot-{connection.pk}-").delete()
        Customer.objects.filter(external_id__startswith="bench-webhook-").delete()
        connection.delete()
        api_key.delete()

    markdown = _markdown(figures)
    print(markdown)
    if not args.no_write:
        write_section("webhook", markdown)


if __name__ == "__main__" and sys.argv[1:] == ["--load"]:
    job = json.load(sys.stdin)
    print(json.dumps(_load(**job)))
