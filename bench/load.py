"""Load test: the production shape on this machine under a mixed workload, bounded in time.

Starts gunicorn (2 workers, `crs_site.settings.production`) and a Celery worker on Redis against
the benchmark database, then drives it from this process over loopback: agents logging
interactions through the API, managers loading dashboards, tools pulling scores. Reports
requests/s, p50/p99 and errors per kind, then counts the logged interactions in the database
(none may be lost) and removes them again, so the data set stays as the other benchmarks expect.

`python -m bench load` runs it; LOAD_SECONDS (default 60) bounds the driving phase.
`python -m bench.load reliability` runs the fault tests (tests/faults) and writes their outcomes
into the `reliability` section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import redis
import requests

from bench.report import machine, table, today, write_section

GUNICORN_WORKERS = 2
# Virtual users per kind; each waits for its answer before sending the next request.
AGENTS = 3
DESK_AGENTS = 3
MANAGERS = 3
TOOLS = 2
REQUEST_TIMEOUT = 30
# Redis database of the load test's broker and cache: apart from the test suite's (15).
REDIS_DB = 13
KINDS = {
    "log": "agent: log an interaction (API POST)",
    "page": "agent: log an interaction on the page (POST, then the form again)",
    "dashboard": "manager: dashboard pages",
    "pull": "tool: score pulls (API GET)",
}


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int | None
    error: str = ""


@dataclass
class Plan:
    """Who drives what: keys, sessions and targets prepared in the database beforehand."""

    run_id: str
    source: str
    agent_keys: list[str]
    tool_keys: list[str]
    manager_sessions: list[tuple[str, str]]  # (session key, team slug)
    desk_sessions: list[str]
    agents: list[int]
    customers: list[int]
    team_slugs: list[str]
    key_ids: list[int] = field(default_factory=list)


# ---- the production shape ----------------------------------------------------------------------


def _free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def _database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environ(*, secret_key: str, queue: str, redis_url: str) -> dict[str, str]:
    """The environment of a production deployment on loopback (TLS would end at a proxy)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crs_site.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        # No mail server here: alert and survey e-mails stay in memory.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


class Service:
    """A subprocess whose output goes to a temporary file, stopped warmly then killed."""

    def __init__(self, name: str, command: list[str], env: dict[str, str]):
        from django.conf import settings

        self.name = name
        self.output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
        )

    def text(self) -> str:
        self.output.seek(0)
        return self.output.read()

    def wait_until(self, condition: Callable[[], bool], *, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.text()[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start in {timeout} s:\n{self.text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def collectstatic(env: dict[str, str]) -> None:
    """Build the hashed, compressed static files production serves (once per change)."""
    from django.conf import settings

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def gunicorn_start(env: dict[str, str], port: int) -> Service:
    server = Service(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "crs_site.wsgi:application",
            "--config=python:crs_site.gunicorn_conf",
            f"--bind=127.0.0.1:{port}",
            f"--workers={GUNICORN_WORKERS}",
            "--timeout=60",
        ],
        env,
    )
    server.wait_until(lambda: _accepts(port))
    return server


def worker_start(env: dict[str, str], queue: str) -> Service:
    worker = Service(
        "celery worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "crs_site",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env,
    )
    worker.wait_until(lambda: " ready." in worker.text())
    return worker


def scores_refresh_send(*, redis_url: str, queue: str) -> None:
    """Publish one scheduled run, as beat would, to the worker's queue."""
    from celery import Celery

    sender = Celery(broker=redis_url)
    try:
        sender.send_task("scorecards.tasks.scores_refresh", queue=queue)
    finally:
        sender.close()


def queue_drained(*, redis_url: str, queue: str) -> bool:
    client = redis.Redis.from_url(redis_url)
    try:
        waiting = client.llen(queue)
        working = [json.loads(p)[2] == queue for p in client.hvals("unacked")]
        return waiting == 0 and not any(working)
    finally:
        client.close()


def queue_purge(*, redis_url: str, queue: str) -> None:
    """Drop the queue's waiting messages and the unacknowledged ones bound for it."""
    client = redis.Redis.from_url(redis_url)
    try:
        client.delete(queue)
        for tag, payload in client.hgetall("unacked").items():
            if json.loads(payload)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


# ---- who drives what ---------------------------------------------------------------------------


def plan_prepare(*, secret_key: str) -> Plan:
    """Create the API keys and manager sessions of this run; pick agents, customers, teams."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    from customers.models import Customer
    from staff.choices import ApiScope, Role
    from staff.models import ApiKey, Employee, Team

    run_id = time.strftime("%Y%m%d%H%M%S")
    teams = list(Team.objects.filter(managers__isnull=False).distinct().order_by("slug"))
    if not teams:
        raise SystemExit("The benchmark database has no team with a manager: seed it first.")
    agents = list(
        Employee.objects.filter(role=Role.AGENT, memberships__ends_on__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    customers = list(Customer.objects.order_by("pk").values_list("pk", flat=True)[:500])
    plan = Plan(
        run_id=run_id,
        source=f"load-{run_id}",
        agent_keys=[],
        tool_keys=[],
        manager_sessions=[],
        desk_sessions=[],
        agents=agents,
        customers=customers,
        team_slugs=[team.slug for team in teams],
    )
    for index in range(AGENTS):
        key, raw = ApiKey.objects.create_key(
            name=f"load {run_id} agent {index}", scopes=[ApiScope.INTERACTIONS_WRITE]
        )
        plan.agent_keys.append(raw)
        plan.key_ids.append(key.pk)
    for index in range(TOOLS):
        key, raw = ApiKey.objects.create_key(
            name=f"load {run_id} tool {index}", scopes=[ApiScope.SCORES_READ]
        )
        plan.tool_keys.append(raw)
        plan.key_ids.append(key.pk)
    desk_users = [
        employee.user
        for employee in Employee.objects.filter(
            role=Role.AGENT, user__isnull=False, memberships__ends_on__isnull=True
        )
        .select_related("user")
        .distinct()
        .order_by("pk")[:DESK_AGENTS]
    ]

    # Sessions signed with the server's secret, as a sign-in would leave them.
    def signed_in(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    with override_settings(SECRET_KEY=secret_key):
        for team in teams[:MANAGERS]:
            user = team.managers.filter(user__isnull=False).first().user
            plan.manager_sessions.append((signed_in(user), team.slug))
        plan.desk_sessions = [signed_in(user) for user in desk_users]
    return plan


def plan_interactions(plan: Plan):
    """Return the interactions this run logged, through the API and through the page."""
    from django.db.models import Q

    from customers.models import Interaction

    return Interaction.objects.filter(
        Q(source=plan.source) | Q(subject__startswith=f"Load {plan.run_id} ")
    )


def plan_clean(plan: Plan) -> int:
    """Remove this run's interactions, keys and sessions; mark the days they touched dirty."""
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from customers.models import Interaction
    from scorecards.dirty import days_mark_dirty, interaction_days
    from staff.models import ApiKey

    with transaction.atomic():
        logged = list(plan_interactions(plan))
        pairs = {pair for interaction in logged for pair in interaction_days(interaction)}
        Interaction.objects.filter(pk__in=[interaction.pk for interaction in logged]).delete()
        days_mark_dirty(pairs=pairs)
        ApiKey.objects.filter(pk__in=plan.key_ids).delete()
        sessions = [key for key, _ in plan.manager_sessions] + plan.desk_sessions
        Session.objects.filter(session_key__in=sessions).delete()
    return len(logged)


# ---- the workload ------------------------------------------------------------------------------


class Driver:
    """Closed-loop virtual users: each sends its next request once the last one is answered."""

    def __init__(self, *, base_url: str, plan: Plan, seconds: float):
        self.base_url = base_url
        self.plan = plan
        self.deadline = time.monotonic() + seconds
        self.samples: list[Sample] = []
        self.logged_ok = 0
        self.lock = threading.Lock()
        self.sequence = 0

    def _record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def _timed(self, kind: str, send: Callable[[], requests.Response]) -> requests.Response | None:
        started = time.monotonic()
        try:
            response = send()
        except requests.RequestException as exc:
            self._record(Sample(kind, time.monotonic() - started, None, type(exc).__name__))
            return None
        elapsed = time.monotonic() - started
        # Redirects count as errors too: a dashboard sending a manager to sign in has failed.
        # The log page answers a good POST with its redirect back to the form.
        expected = response.status_code == 302 and kind == "page"
        error = "" if response.status_code < 300 or expected else f"HTTP {response.status_code}"
        self._record(Sample(kind, elapsed, response.status_code, error))
        return response

    def _next(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence

    def agent(self, index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Api-Key {self.plan.agent_keys[index]}"
        while time.monotonic() < self.deadline:
            n = self._next()
            opened = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)
            body = {
                "employee": self.plan.agents[n % len(self.plan.agents)],
                "customer": self.plan.customers[n % len(self.plan.customers)],
                "channel": ("phone", "email", "chat")[n % 3],
                "subject": f"Load {self.plan.run_id} call {n}",
                "opened_at": opened.isoformat(),
                "first_response_at": (opened + dt.timedelta(minutes=2)).isoformat(),
                "resolved_at": (opened + dt.timedelta(minutes=15)).isoformat(),
                "is_first_contact_resolution": n % 4 != 0,
                "source": self.plan.source,
                "external_id": f"{self.plan.run_id}-{n}",
            }
            response = self._timed(
                "log",
                lambda body=body: session.post(
                    f"{self.base_url}/api/v1/interactions/", json=body, timeout=REQUEST_TIMEOUT
                ),
            )
            if response is not None and response.status_code == 200:
                with self.lock:
                    self.logged_ok += 1

    def desk(self, index: int) -> None:
        """An agent at the desk: the log page, filled in and sent, then the empty form again."""
        import re
        import zoneinfo

        from django.conf import settings

        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        form_url = f"{self.base_url}/interactions/new/"
        session = requests.Session()
        cookies = f"{settings.SESSION_COOKIE_NAME}={self.plan.desk_sessions[index]}"
        session.headers["Cookie"] = cookies
        first = self._timed("page", lambda: session.get(form_url, timeout=REQUEST_TIMEOUT))
        found = re.search(
            rf"{settings.CSRF_COOKIE_NAME}=([^;]+)", first.headers.get("Set-Cookie", "")
        )
        if found is None:
            self._record(Sample("page", 0.0, first.status_code, "no CSRF cookie"))
            return
        token = found.group(1)
        # Secure cookies travel over TLS in production; on loopback they go in the header.
        session.headers["Cookie"] = f"{cookies}; {settings.CSRF_COOKIE_NAME}={token}"
        while time.monotonic() < self.deadline:
            n = self._next()
            opened = dt.datetime.now(zone) - dt.timedelta(minutes=20)
            form = {
                "csrfmiddlewaretoken": token,
                "customer": self.plan.customers[n % len(self.plan.customers)],
                "channel": ("phone", "email", "chat")[n % 3],
                "subject": f"Load {self.plan.run_id} desk {n}",
                "opened_at": opened.strftime("%Y-%m-%dT%H:%M"),
                "first_response_at": (opened + dt.timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M"),
                "is_resolved": "on",
                "resolved_at": (opened + dt.timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"),
                "notes": "",
            }
            response = self._timed(
                "page",
                lambda form=form: session.post(
                    form_url, data=form, timeout=REQUEST_TIMEOUT, allow_redirects=False
                ),
            )
            if response is None or response.status_code != 302:
                continue
            with self.lock:
                self.logged_ok += 1
            self._timed("page", lambda: session.get(form_url, timeout=REQUEST_TIMEOUT))

    def manager(self, index: int) -> None:
        from django.conf import settings

        session_key, slug = self.plan.manager_sessions[index % len(self.plan.manager_sessions)]
        session = requests.Session()
        # The session cookie is Secure in production; a TLS proxy would carry it, so set it here.
        session.headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
        pages = [f"/teams/{slug}/", "/teams/", "/teams/compare/", "/alerts/"]
        n = 0
        while time.monotonic() < self.deadline:
            url = f"{self.base_url}{pages[n % len(pages)]}"
            self._timed(
                "dashboard",
                lambda url=url: session.get(url, timeout=REQUEST_TIMEOUT, allow_redirects=False),
            )
            n += 1

    def tool(self, index: int) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Api-Key {self.plan.tool_keys[index]}"
        day = dt.date.today()
        week_ago = day - dt.timedelta(days=7)
        n = 0
        while time.monotonic() < self.deadline:
            slug = self.plan.team_slugs[n % len(self.plan.team_slugs)]
            url = (
                f"{self.base_url}/api/v1/scores/employees/?team={slug}"
                f"&date_from={week_ago}&date_to={day}"
                if n % 2 == 0
                else f"{self.base_url}/api/v1/scores/summary/?group_by=team"
                f"&date_from={week_ago}&date_to={day}"
            )
            self._timed(
                "pull",
                lambda url=url: session.get(url, timeout=REQUEST_TIMEOUT, allow_redirects=False),
            )
            n += 1

    def run(self) -> float:
        threads = [
            *(threading.Thread(target=self.agent, args=(i,)) for i in range(AGENTS)),
            *(
                threading.Thread(target=self.desk, args=(i,))
                for i in range(len(self.plan.desk_sessions))
            ),
            *(threading.Thread(target=self.manager, args=(i,)) for i in range(MANAGERS)),
            *(threading.Thread(target=self.tool, args=(i,)) for i in range(TOOLS)),
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summarise(samples: list[Sample], seconds: float) -> list[dict[str, object]]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    rows = []
    for kind, label in [*KINDS.items(), ("all", "all requests")]:
        group = samples if kind == "all" else by_kind.get(kind, [])
        times = [s.seconds for s in group]
        if not times:
            continue
        rows.append(
            {
                "kind": label,
                "requests": f"{len(times):,}",
                "requests/s": f"{len(times) / seconds:.1f}",
                "p50 ms": f"{_percentile(times, 0.50) * 1000:.0f}",
                "p99 ms": f"{_percentile(times, 0.99) * 1000:.0f}",
                "errors": sum(1 for s in group if s.error),
            }
        )
    return rows


# ---- the run -----------------------------------------------------------------------------------


def _load_report(
    *,
    rows: list[dict],
    elapsed: float,
    teams: int,
    error_text: str,
    server_errors: int,
    logged: int,
    stored: int,
    lost: int,
    catch_up: float,
    not_drained: str,
    load_before: float,
    load_during: float,
) -> str:
    """Return the `load` section of BENCHMARKS.md for the measured figures."""
    users = AGENTS + DESK_AGENTS + MANAGERS + TOOLS
    return f"""## Load: the production shape under a mixed workload

Measured {today()} on {machine()}: gunicorn ({GUNICORN_WORKERS} sync workers,
`crs_site.settings.production`), one Celery worker, PostgreSQL and Redis all on this machine,
driven over loopback by `python -m bench load` from a second process for {elapsed:.0f} s.
Closed loop, no think time: {AGENTS} agents log interactions through the API (each with its own
key) and {DESK_AGENTS} on the "Log interaction" page (signed in, CSRF token, then the
form again after the redirect), {MANAGERS} managers load their team dashboard, the team list,
the comparison and the alerts, {TOOLS} tools pull a week of employee scores and the pooled team
summary. A scheduled run (`scores_refresh`) goes to the worker as the load starts, as beat would
send one. The data set is the benchmark organisation (`crs_bench`: {teams} teams
with managers).

{table(rows)}
Errors: {error_text}; server tracebacks: {server_errors}.

Interactions logged: {logged:,} accepted (200 from the API, 302 from the page),
{stored:,} found in the database
afterwards, **{lost} lost**.
The run sent after the load finished its work (queue empty) in {catch_up:.0f} s{not_drained}.
The interactions of the run are removed afterwards, their days marked dirty, so the data set
stays as it was.

The whole stack and the load generator share the machine's cores, and so did whatever else ran on
it: the 1-minute load average was {load_before:.1f} before the run and {load_during:.1f} at its end.
With {users} users and {GUNICORN_WORKERS} sync workers, a request mostly waits for the
others: the latencies are queueing under saturation, not the time one request
takes. The figures are what one small, busy machine serves, not a ceiling. More gunicorn workers
on more machines scale the web side out against one PostgreSQL (README, operations).
"""


def catch_up_wait(*, redis_url: str, queue: str) -> tuple[float, bool]:
    """Send a scheduled run and wait (at most 5 minutes) for the queue to drain; return the
    seconds it took and whether it drained."""
    started = time.monotonic()
    scores_refresh_send(redis_url=redis_url, queue=queue)
    deadline = started + 300
    time.sleep(1)
    while not queue_drained(redis_url=redis_url, queue=queue):
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return time.monotonic() - started, queue_drained(redis_url=redis_url, queue=queue)


def run(args: argparse.Namespace) -> None:
    """Drive the production shape for LOAD_SECONDS and write the `load` section."""
    from django.conf import settings

    seconds = float(os.environ.get("LOAD_SECONDS", "60"))
    secret_key = secrets.token_urlsafe(50)
    queue = f"crs-load-{uuid.uuid4().hex[:8]}"
    redis_host = settings.CELERY_BROKER_URL.rsplit("/", 1)[0]
    redis_url = f"{redis_host}/{REDIS_DB}"
    env = production_environ(secret_key=secret_key, queue=queue, redis_url=redis_url)
    port = _free_port()

    log("collecting static files for the production settings")
    collectstatic(env)
    plan = plan_prepare(secret_key=secret_key)
    services: list[Service] = []
    try:
        log("starting the Celery worker and gunicorn")
        services.append(worker_start(env, queue))
        services.append(gunicorn_start(env, port))
        base_url = f"http://127.0.0.1:{port}"
        # Warm both workers (imports, first connections) before measuring.
        for _ in range(4):
            requests.get(f"{base_url}/accounts/login/", timeout=REQUEST_TIMEOUT)
        # A scheduled run lands during the load, as beat would send one every 15 minutes.
        scores_refresh_send(redis_url=redis_url, queue=queue)
        log(
            f"driving {AGENTS} API agents, {DESK_AGENTS} desk agents, {MANAGERS} managers,"
            f" {TOOLS} tools for {seconds:.0f} s"
        )
        driver = Driver(base_url=base_url, plan=plan, seconds=seconds)
        load_before = os.getloadavg()[0]
        elapsed = driver.run()
        load_during = os.getloadavg()[0]
        stored = plan_interactions(plan).count()
        log("load done; a run after the load catches up with what was logged")
        catch_up, drained = catch_up_wait(redis_url=redis_url, queue=queue)
        errors = Counter(s.error for s in driver.samples if s.error)
        server_log = services[1].text()
    finally:
        for service in reversed(services):
            service.stop()
        queue_purge(redis_url=redis_url, queue=queue)
        removed = plan_clean(plan)
    log(f"removed the {removed} interactions of this run again")

    rows = summarise(driver.samples, elapsed)
    lost = driver.logged_ok - stored
    server_errors = server_log.count("Traceback") + server_log.count("[CRITICAL]")
    not_drained = "" if drained else " (not drained within the bound)"
    error_text = ", ".join(f"{name} × {count}" for name, count in errors.most_common()) or "none"
    markdown = _load_report(
        rows=rows,
        elapsed=elapsed,
        teams=len(plan.team_slugs),
        error_text=error_text,
        server_errors=server_errors,
        logged=driver.logged_ok,
        stored=stored,
        lost=lost,
        catch_up=catch_up,
        not_drained=not_drained,
        load_before=load_before,
        load_during=load_during,
    )
    print(markdown)
    if not getattr(args, "no_write", False):
        write_section("load", markdown)
    if lost or not drained:
        raise SystemExit(f"load: {lost} interactions lost, queue drained: {drained}")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if "reliability" in sys.argv[1:]:
        from bench.reliability import reliability

        reliability(
            database=os.environ.get("TEST_DATABASE_NAME", "test_crs_faults"),
            write="--no-write" not in sys.argv,
        )
    else:
        run(argparse.Namespace(no_write="--no-write" in sys.argv))
