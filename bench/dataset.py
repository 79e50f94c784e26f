"""The benchmarks' data set: a large synthetic organisation, streamed into PostgreSQL by COPY.

`python -m bench data --agents N --days D --per-day P [--seed S]` fills the benchmark
database; the benchmarks call `data_ensure` to do the same the first time they run.

The organisation: teams of 50 agents on the demo scorecard, each agent with their own
profile (response times, first-contact resolution, follow-up discipline, quality) around the
demo's first team; about P interactions per agent and day over five channels, a quarter of
them answered by a survey, three a week per agent reviewed by QA. No scores: the benchmarks
compute them. The same seed and last day give the same rows, as far as they are in the past
when it runs (a set ending yesterday lacks its last surveys, and its last QA reviews are drafts).

Staff, teams, customers and the scorecard are few and go in with the ORM; interactions,
survey responses, QA reviews and their ratings are written as CSV into one buffer per table,
an agent at a time, and copied in whenever the buffers pass a few megabytes, so memory stays
flat however large the set. Their ids are taken from the tables' sequences up front, so
children can name their parents without reading anything back.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import queue
import random
import sys
import threading
import time
from contextlib import contextmanager
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from crs_site.lib.numbers import quantize
from customers.choices import Channel
from customers.models import Customer, Interaction
from feedback.choices import ReviewReason, ReviewStatus, SamplingRuleKind
from feedback.models import QARating, QAReview, SurveyResponse
from feedback.qa_scoring import CriterionRating, qa_review_total
from scorecards.demo.builder import (
    BATCH_SIZE,
    TEAMS,
    TIERS,
    clamp,
    demo_organisation_zone,
    demo_scorecard_create,
)
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

AGENTS_PER_TEAM = 50
# Interactions a second the generator must reach (issue 15: large sets in minutes, not hours).
GOAL_RATE = 50_000
# Copy the buffers in once the interactions' one holds this many characters.
FLUSH_CHARS = 4 * 1024 * 1024
CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.CHAT, Channel.SOCIAL, Channel.IN_PERSON)
CHANNEL_WEIGHTS = (35, 30, 25, 7, 3)
# Channels answered at once (minutes, exponential); the others are answered later (lognormal).
_SPOKEN = frozenset((Channel.PHONE, Channel.IN_PERSON))
_NULL = r"\N"

# The copied tables, parents first, and the columns of their CSV lines.
_COLUMNS = {
    Interaction: (
        "id", "customer_id", "employee_id", "channel", "subject", "notes", "opened_at",
        "first_response_at", "resolved_at", "is_first_contact_resolution", "is_escalated",
        "follow_up_due", "follow_up_done_at", "is_flagged_for_review", "source", "external_id",
        "created_at", "updated_at",
    ),
    SurveyResponse: (
        "id", "interaction_id", "invitation_id", "csat", "nps", "comment", "language",
        "submitted_at", "source", "external_id",
    ),
    QAReview: (
        "id", "interaction_id", "reviewer_id", "version_id", "status", "reason", "total",
        "comment", "created_at", "published_at", "scored_at", "dispute_reason", "disputed_at",
        "dispute_outcome", "resolution_note", "resolved_at", "resolved_by_id", "sampled_by",
    ),
    QARating: ("id", "review_id", "criterion_id", "rating", "comment"),
}  # fmt: skip
_COUNT_KEYS = {
    Interaction: "interactions",
    SurveyResponse: "survey_responses",
    QAReview: "qa_reviews",
    QARating: "qa_ratings",
}


class DatasetError(Exception):
    """The data set cannot be generated here (wrong database, bad sizes, not empty)."""


def dataset_generate(
    *,
    seed: int = 2026,
    today: dt.date,
    agents: int,
    per_day: int,
    days: int,
    progress: TextIO | None = None,
) -> dict[str, int]:
    """Fill an empty PostgreSQL database with the synthetic organisation; return row counts.

    `progress`, when given, receives a progress bar (an agent at a time).
    """
    if connection.vendor != "postgresql":
        raise DatasetError(
            f"The benchmark data set is written with PostgreSQL's COPY; this database is "
            f"{connection.vendor}. Point DATABASE_URL at PostgreSQL."
        )
    if agents < 1 or per_day < 1 or days < 1:
        raise DatasetError("--agents, --per-day and --days must be at least 1.")
    if Team.objects.exists():
        raise DatasetError("The database already holds teams: the data set fills an empty one.")
    with transaction.atomic():
        return _Generator(seed=seed, today=today, agents=agents, per_day=per_day, days=days).run(
            progress=progress
        )


class _Generator:
    def __init__(self, *, seed: int, today: dt.date, agents: int, per_day: int, days: int):
        self.rng = random.Random(seed)
        self.zone = demo_organisation_zone()
        self.now = timezone.now().timestamp()
        self.now_text = _stamp(self.now)
        self.today = today
        self.first_day = today - dt.timedelta(days=days - 1)
        self.agents = agents
        self.per_day = per_day
        self.days = days
        self.buffers = {model: io.StringIO() for model in _COLUMNS}
        self.counts = dict.fromkeys(_COUNT_KEYS.values(), 0)
        # Opening time (08:00 local) of every day, in seconds since the epoch.
        self.openings = [
            dt.datetime.combine(
                self.first_day + dt.timedelta(days=offset), dt.time(8), tzinfo=self.zone
            ).timestamp()
            for offset in range(days)
        ]
        self.cumulative = list(_cumulate(CHANNEL_WEIGHTS))

    def run(self, *, progress: TextIO | None) -> dict[str, int]:
        self.version = demo_scorecard_create(today=self.today)
        self.criteria = list(self.version.qa_criteria.order_by("position"))
        self.staff_create()
        self.customers_create()
        self.next_ids = {model: _sequence_next(model) for model in _COLUMNS}
        with _checks_skipped(), _indexes_rebuilt(), _Copier() as self.copier:
            with tqdm(
                total=self.agents,
                unit="agent",
                file=progress,
                disable=progress is None,
                mininterval=0.5,
            ) as bar:
                for agent_id, lead_id in self.agent_rows:
                    self.agent_draw(agent_id, lead_id)
                    if self.buffers[Interaction].tell() >= FLUSH_CHARS:
                        self.flush()
                    bar.update(1)
            self.flush()
        for model in _COLUMNS:
            _sequence_set(model, self.next_ids[model])
        return {
            "teams": len(self.leads),
            "employees": len(self.leads) + self.agents + 1,
            "agents": self.agents,
            "customers": len(self.customers),
            **self.counts,
        }

    # ---- the few rows, by the ORM --------------------------------------------------------

    def staff_create(self) -> None:
        team_count = max(1, round(self.agents / AGENTS_PER_TEAM))
        teams = Team.objects.bulk_create(
            [
                Team(name=f"Team {i:02d}", slug=f"team-{i:02d}", scorecard=self.version.scorecard)
                for i in range(1, team_count + 1)
            ]
        )
        password = make_password(settings.CRS_DEMO_PASSWORD)
        user_model = get_user_model()
        users = [
            user_model(username="admin", password=password, is_staff=True, is_superuser=True),
            *(
                user_model(username=f"lead-{i:02d}", password=password)
                for i in range(1, team_count + 1)
            ),
            *(
                user_model(username=f"agent-{i:05d}", password=password)
                for i in range(1, self.agents + 1)
            ),
        ]
        user_model.objects.bulk_create(users, batch_size=BATCH_SIZE)
        hired = self.first_day - dt.timedelta(days=365)
        roles = [Role.ADMIN] + [Role.MANAGER] * team_count + [Role.AGENT] * self.agents
        employees = Employee.objects.bulk_create(
            [
                Employee(user=user, role=role, hire_date=hired)
                for user, role in zip(users, roles, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self.leads = employees[1 : team_count + 1]
        agents = employees[team_count + 1 :]
        Team.managers.through.objects.bulk_create(
            [
                Team.managers.through(team_id=team.pk, employee_id=lead.pk)
                for team, lead in zip(teams, self.leads, strict=True)
            ]
        )
        TeamMembership.objects.bulk_create(
            [
                TeamMembership(employee=agent, team=teams[index % team_count], starts_on=hired)
                for index, agent in enumerate(agents)
            ],
            batch_size=BATCH_SIZE,
        )
        self.agent_rows = [
            (agent.pk, self.leads[index % team_count].pk) for index, agent in enumerate(agents)
        ]

    def customers_create(self) -> None:
        rng = self.rng
        tiers = list(TIERS)
        customers = Customer.objects.bulk_create(
            [
                Customer(
                    name=f"Customer {i:06d}",
                    language=rng.choice(("en", "ru", "lv", "lt")),
                    tier=rng.choices(tiers, weights=list(TIERS.values()))[0],
                    value_points=rng.randint(5, 400),
                    has_opted_out_of_surveys=rng.random() < 0.08,
                )
                for i in range(1, max(300, 2 * self.agents) + 1)
            ],
            batch_size=BATCH_SIZE,
        )
        self.customers = [
            (customer.pk, customer.language, customer.has_opted_out_of_surveys)
            for customer in customers
        ]

    # ---- the many rows, as CSV -----------------------------------------------------------

    def agent_draw(self, agent_id: int, lead_id: int) -> None:
        """Draw one agent's interactions over the range, with their surveys and QA reviews."""
        rng = self.rng
        random_ = rng.random
        gauss = rng.gauss
        exp = math.exp
        profile = TEAMS[0].profile.adjusted(rng.gauss(0, 0.35))
        speed = profile.response
        fcr = profile.fcr
        discipline = profile.discipline
        resolution_mu = math.log(5 * speed)
        answer_mu = math.log(12)
        now = self.now
        zone = self.zone
        customers = self.customers
        customer_count = len(customers)
        cumulative = self.cumulative
        total_weight = cumulative[-1]
        write = self.buffers[Interaction].write
        next_id = self.next_ids[Interaction]
        spread = max(1, self.per_day // 5)
        weeks: dict[int, list[tuple]] = {}
        for offset, opening in enumerate(self.openings):
            week = weeks.setdefault(offset // 7, [])
            for _index in range(max(1, self.per_day + rng.randint(-spread, spread))):
                opened = opening + random_() * 43200
                channel = CHANNELS[bisect.bisect(cumulative, random_() * total_weight)]
                if channel in _SPOKEN:
                    minutes = -math.log(1.0 - random_()) * 1.2
                else:
                    minutes = exp(gauss(answer_mu, 0.9))
                responded = opened + minutes * 60 * speed
                is_fcr = random_() < fcr
                is_escalated = not is_fcr and random_() < 0.2
                hours = 0.15 if is_fcr else exp(gauss(resolution_mu, 0.9))
                resolved = responded + hours * 3600
                due = done = None
                if not is_fcr and random_() < 0.4:
                    due = dt.datetime.fromtimestamp(resolved, zone).date() + dt.timedelta(days=1)
                    if random_() < discipline:
                        done = dt.datetime.combine(
                            due, dt.time(10), tzinfo=zone
                        ).timestamp() + 60 * rng.randrange(420)
                if opened > now:
                    continue
                customer = customers[int(random_() * customer_count)]
                is_resolved = resolved <= now
                opened_text = _stamp(opened)
                write(
                    f"{next_id},{customer[0]},{agent_id},{channel},Customer request,,"
                    f"{opened_text},{_stamp(responded) if responded <= now else _NULL},"
                    f"{_stamp(resolved) if is_resolved else _NULL},"
                    f"{'t' if is_fcr and is_resolved else 'f'},{'t' if is_escalated else 'f'},"
                    f"{_NULL if due is None else due.isoformat()},"
                    f"{_stamp(done) if done is not None and done <= now else _NULL},"
                    f"f,crs,{_NULL},{opened_text},{opened_text}\n"
                )
                week.append((next_id, resolved, is_resolved, is_escalated, customer))
                next_id += 1
        self.counts["interactions"] += next_id - self.next_ids[Interaction]
        self.next_ids[Interaction] = next_id
        for week in weeks.values():
            for row in week:
                if random_() < 0.25:
                    self.response_draw(row, profile.quality)
            for row in rng.sample(week, min(3, len(week))):
                self.review_draw(row, profile.quality, lead_id)

    def response_draw(self, row: tuple, quality: float) -> None:
        rng = self.rng
        interaction_id, resolved, _is_resolved, _is_escalated, customer = row
        submitted = resolved + rng.uniform(0.1, 48) * 3600
        csat = int(clamp(round(4.0 + 0.55 * quality + rng.gauss(0, 0.85)), 1, 5))
        nps = int(clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        has_nps = rng.random() < 0.85
        if submitted > self.now or customer[2]:
            return
        response_id = self.next_ids[SurveyResponse]
        self.next_ids[SurveyResponse] += 1
        self.counts["survey_responses"] += 1
        self.buffers[SurveyResponse].write(
            f"{response_id},{interaction_id},{_NULL},{csat},{nps if has_nps else _NULL},,"
            f"{customer[1]},{_stamp(submitted)},crs,{_NULL}\n"
        )

    def review_draw(self, row: tuple, quality: float, lead_id: int) -> None:
        rng = self.rng
        interaction_id, resolved, is_resolved, is_escalated, _customer = row
        published = resolved + rng.uniform(20, 72) * 3600
        ratings = [
            None
            if criterion.is_critical and not is_escalated
            else int(clamp(round(rng.gauss(2.6 + 0.7 * quality, 0.75)), 0, 4))
            for criterion in self.criteria
        ]
        if not is_resolved:
            return
        review_id = self.next_ids[QAReview]
        self.next_ids[QAReview] += 1
        self.counts["qa_reviews"] += 1
        if published <= self.now:
            total = quantize(
                qa_review_total(
                    ratings=[
                        CriterionRating(
                            weight=criterion.weight,
                            rating=rating,
                            is_critical=criterion.is_critical,
                        )
                        for criterion, rating in zip(self.criteria, ratings, strict=True)
                    ]
                )
            )
            status, stamp, total_text = ReviewStatus.PUBLISHED, _stamp(published), str(total)
            created = stamp
        else:
            status, stamp, total_text, created = ReviewStatus.DRAFT, _NULL, _NULL, self.now_text
        self.buffers[QAReview].write(
            f"{review_id},{interaction_id},{lead_id},{self.version.pk},{status},{ReviewReason.SAMPLE},"
            f"{total_text},,{created},{stamp},{stamp},,{_NULL},,,{_NULL},{_NULL},"
            f"{SamplingRuleKind.RANDOM}\n"
        )
        write = self.buffers[QARating].write
        rating_id = self.next_ids[QARating]
        for criterion, rating in zip(self.criteria, ratings, strict=True):
            write(
                f"{rating_id},{review_id},{criterion.pk},{_NULL if rating is None else rating},\n"
            )
            rating_id += 1
        self.counts["qa_ratings"] += rating_id - self.next_ids[QARating]
        self.next_ids[QARating] = rating_id

    def flush(self) -> None:
        """Hand every buffer to the copier, parents first, and start them again empty."""
        quote = connection.ops.quote_name
        batch = []
        for model, columns in _COLUMNS.items():
            if self.buffers[model].tell():
                sql = (
                    f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
                    f"FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')"
                )
                batch.append((sql, self.buffers[model]))
                self.buffers[model] = io.StringIO()
        self.copier.put(batch)


class _Copier:
    """Run the COPY statements on a thread of their own while the next rows are drawn.

    The thread uses the current connection (inside its transaction) and nothing else touches
    that connection meanwhile; the driver lets go of the interpreter while the server works,
    so drawing in Python and writing in PostgreSQL use both cores. At most one batch waits.
    """

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.batches: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._work, name="dataset-copy", daemon=True)

    def __enter__(self) -> _Copier:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.batches.put(None)
        self.thread.join()
        self._raise()

    def put(self, batch: list[tuple[str, io.StringIO]]) -> None:
        self._raise()
        self.batches.put(batch)

    def _work(self) -> None:
        with self.raw.cursor() as cursor:
            while (batch := self.batches.get()) is not None:
                if self.error is not None:
                    continue
                try:
                    for sql, buffer in batch:
                        buffer.seek(0)
                        cursor.copy_expert(sql, buffer)
                except BaseException as error:  # handed to the drawing thread
                    self.error = error

    def _raise(self) -> None:
        if self.error is not None:
            # As Django's own errors (IntegrityError, ...), as its cursors would raise them.
            with connection.wrap_database_errors:
                raise self.error


class _indexes_rebuilt:  # noqa: N801
    """Drop the copied tables' plain (not unique) indexes while the rows go in, then build them.

    Building an index over the finished table sorts it once; keeping it while copying
    inserts every row into it one at a time, which took longer than the copy itself. The
    unique indexes stay, so a duplicate still fails the copy.
    """

    def __enter__(self) -> None:
        tables = [model._meta.db_table for model in _COLUMNS]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique "
                "ORDER BY 1",
                [tables],
            )
            self.indexes = cursor.fetchall()
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def __exit__(self, *exc_info) -> None:
        if exc_info[0] is not None:
            return  # the transaction rolls back, and the indexes with it
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', '256MB', true)")
            for _name, definition in self.indexes:
                cursor.execute(definition)


class _checks_skipped:  # noqa: N801 (used as a context manager, like contextlib's)
    """Skip the foreign-key triggers while the rows are copied, where the role may.

    The rows are consistent by construction (their ids are handed out here); checking two or
    three references per row at commit cost more than writing the rows. PostgreSQL lets a
    superuser say so for the transaction (`session_replication_role`); anyone else pays
    the checks. Constraints and unique indexes are enforced either way.
    """

    def __enter__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('is_superuser') = 'on', "
                "current_setting('session_replication_role')"
            )
            self.may, self.role = cursor.fetchone()
            if self.may:
                cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")

    def __exit__(self, *exc_info) -> None:
        if self.may and exc_info[0] is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('session_replication_role', %s, true)", [self.role]
                )


def _cumulate(weights):
    total = 0
    for weight in weights:
        total += weight
        yield total


_UTC = dt.UTC
_from_timestamp = dt.datetime.fromtimestamp
# "YYYY-MM-DD HH:MM:" of each minute (since the epoch) written so far: a data set spans a few
# weeks, so this holds some tens of thousands of strings whatever the number of agents.
_MINUTES: dict[int, str] = {}


def _stamp(seconds: float) -> str:
    """Write a moment (seconds since the epoch) as PostgreSQL reads a timestamptz, in UTC."""
    minute, micro = divmod(int(seconds * 1_000_000), 60_000_000)
    prefix = _MINUTES.get(minute)
    if prefix is None:
        prefix = _MINUTES[minute] = _from_timestamp(minute * 60, _UTC).strftime("%Y-%m-%d %H:%M:")
    return f"{prefix}{micro / 1_000_000:09.6f}+00"


def _sequence_next(model) -> int:
    """Return the next id of the model's table, reserving it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        return cursor.fetchone()[0]


def _sequence_set(model, next_id: int) -> None:
    """Make the table's sequence hand out `next_id` next, past the ids the data set took."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
            [model._meta.db_table, next_id],
        )


# ---- the benchmark database ------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _server():
    """Open an autocommit connection to the server's `postgres` database, as the default one."""
    import psycopg2

    options = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        user=options.get("USER") or None,
        password=options.get("PASSWORD") or None,
        host=options.get("HOST") or None,
        port=options.get("PORT") or None,
    )
    server.autocommit = True
    return server


def database_use(name: str) -> None:
    """Point the default connection at the database `name` (the next query opens it)."""
    connection.close()
    connection.settings_dict["NAME"] = name


def database_ensure(*, fresh: bool = False) -> None:
    """Create the default connection's database unless it exists; with `fresh`, drop it first."""
    name = connection.settings_dict["NAME"]
    connection.close()
    server = _server()
    try:
        with server.cursor() as cursor:
            if fresh:
                log(f"dropping database {name}")
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                log(f"creating database {name}")
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        server.close()


@contextmanager
def size_database(*, agents: int, days: int, per_day: int, seed: int):
    """Point the default connection, while open, at a database holding a data set of this size.

    The database is named after the benchmark one and the size (`crs_bench_250x30x60`:
    agents × days × interactions a day), created and filled the first time, reused after. It
    yields what `data_ensure` returns: the generation's counts and seconds, or None.
    """
    base = connection.settings_dict["NAME"]
    database_use(f"{base}_{agents}x{days}x{per_day}")
    try:
        database_ensure()
        # The generator's counts and seconds when it ran now, None when the set was there.
        yield data_ensure(agents=agents, days=days, per_day=per_day, seed=seed)
    finally:
        database_use(base)


def data_ensure(
    *, agents: int, days: int, per_day: int, seed: int
) -> tuple[dict[str, int], float] | None:
    """Migrate, and generate the data set unless the database already holds one.

    Return the counts and seconds of the generation, or None when a data set was there. The
    set ends yesterday: every interaction's SLA clock has run out, so the engine and the SQL
    baseline, computed moments apart, count the same interactions.
    """
    from django.core.management import call_command

    log(f"migrating {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    if Team.objects.exists():
        log("reusing the data set already in the database")
        return None
    log(f"generating {agents:,} agents x {per_day} interactions/day x {days} days")
    counts, seconds = dataset_timed(
        seed=seed,
        today=timezone.localdate() - dt.timedelta(days=1),
        agents=agents,
        per_day=per_day,
        days=days,
        progress=sys.stderr,
    )
    dataset_report(counts=counts, seconds=seconds)
    log("analysing")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts, seconds


def dataset_report(*, counts: dict[str, int], seconds: float, stream: TextIO = sys.stderr) -> None:
    """Print the row counts and the interactions per second achieved."""
    for key, count in counts.items():
        print(f"  {key.replace('_', ' ')}: {count:,}", file=stream)
    rate = counts["interactions"] / seconds if seconds else 0
    print(
        f"  {counts['interactions']:,} interactions in {seconds:.1f} s: "
        f"{rate:,.0f} interactions per second",
        file=stream,
        flush=True,
    )


def dataset_timed(**kwargs) -> tuple[dict[str, int], float]:
    """Generate the data set (see dataset_generate); return its counts and the seconds taken."""
    started = time.perf_counter()
    counts = dataset_generate(**kwargs)
    return counts, time.perf_counter() - started
