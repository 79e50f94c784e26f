"""Large synthetic organisations for benchmarks: many agents, no prose, no scores."""

import datetime as dt
import math
import random
from typing import TextIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from customers.choices import Channel
from customers.models import Customer, Interaction
from feedback.choices import ReviewStatus
from feedback.models import QARating, QAReview, SurveyResponse
from scorecards.demo.builder import (
    BATCH_SIZE,
    TEAMS,
    TIERS,
    Profile,
    clamp,
    demo_organisation_zone,
    demo_scorecard_create,
)
from scorecards.scoring import CriterionRating, qa_review_total, quantize
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

# --- Large synthetic sets for benchmarks ------------------------------------------------------

AGENTS_PER_SCALE_TEAM = 50
_SCALE_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.CHAT, Channel.SOCIAL, Channel.IN_PERSON)
_SCALE_CHANNEL_WEIGHTS = (35, 30, 25, 7, 3)


def demo_seed_scale(
    *,
    seed: int = 2026,
    today: dt.date,
    agents: int,
    per_day: int,
    days: int,
    progress: TextIO | None = None,
) -> dict[str, int]:
    """Fill an empty database with a large synthetic organisation for benchmarks; no scores.

    Rows go in with bulk inserts of BATCH_SIZE, an agent's whole range at a time, so memory
    stays flat however many agents there are.
    """
    if agents < 1 or per_day < 1 or days < 1:
        raise ValueError("--agents, --per-day and --days must be at least 1.")
    with transaction.atomic():
        return _ScaleBuilder(seed=seed, today=today, agents=agents, per_day=per_day, days=days).run(
            progress=progress
        )


class _ScaleBuilder:
    def __init__(self, *, seed: int, today: dt.date, agents: int, per_day: int, days: int):
        self.rng = random.Random(seed)
        self.zone = demo_organisation_zone()
        self.now = timezone.now()
        self.today = today
        self.first_day = today - dt.timedelta(days=days - 1)
        self.agents = agents
        self.per_day = per_day
        self.days = days
        self.counts = dict.fromkeys(
            ("interactions", "survey_responses", "qa_reviews", "qa_ratings"), 0
        )
        self.pending: dict[type, list] = {
            Interaction: [],
            SurveyResponse: [],
            QAReview: [],
            QARating: [],
        }

    def run(self, *, progress: TextIO | None) -> dict[str, int]:
        self.version = demo_scorecard_create(today=self.today)
        self.criteria = list(self.version.qa_criteria.order_by("position"))
        self.staff_create()
        self.customers_create()
        with tqdm(
            total=self.agents * self.days,
            unit="agent-day",
            file=progress,
            disable=progress is None,
            mininterval=0.5,
        ) as bar:
            for agent, team_index in self.agent_rows:
                self.agent_draw(agent, self.leads[team_index])
                if len(self.pending[Interaction]) >= BATCH_SIZE:
                    self.flush()
                bar.update(self.days)
            self.flush()
        return {
            "teams": len(self.leads),
            "employees": len(self.leads) + self.agents + 1,
            "agents": self.agents,
            "customers": len(self.customers),
            **self.counts,
        }

    def staff_create(self) -> None:
        team_count = max(1, round(self.agents / AGENTS_PER_SCALE_TEAM))
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
        self.agent_rows = [(agent, index % team_count) for index, agent in enumerate(agents)]
        TeamMembership.objects.bulk_create(
            [
                TeamMembership(employee=agent, team=teams[team_index], starts_on=hired)
                for agent, team_index in self.agent_rows
            ],
            batch_size=BATCH_SIZE,
        )

    def customers_create(self) -> None:
        rng = self.rng
        tiers = list(TIERS)
        self.customers = Customer.objects.bulk_create(
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

    def agent_draw(self, agent: Employee, lead: Employee) -> None:
        rng = self.rng
        profile = TEAMS[0].profile.adjusted(rng.gauss(0, 0.35))
        spread = max(1, self.per_day // 5)
        weeks: dict[int, list[tuple[Interaction, dt.datetime]]] = {}
        for offset in range(self.days):
            day = self.first_day + dt.timedelta(days=offset)
            opening = dt.datetime.combine(day, dt.time(8), tzinfo=self.zone)
            for _index in range(max(1, self.per_day + rng.randint(-spread, spread))):
                row, resolved = self.interaction_draw(agent, profile, opening)
                if row is not None:
                    weeks.setdefault(offset // 7, []).append((row, resolved))
        for week in weeks.values():
            for row, resolved in week:
                self.pending[Interaction].append(row)
                if rng.random() < 0.25:
                    self.response_draw(row, resolved, profile.quality)
            for row, resolved in rng.sample(week, min(3, len(week))):
                self.review_draw(row, resolved, profile.quality, lead)

    def interaction_draw(
        self, agent: Employee, profile: Profile, opening: dt.datetime
    ) -> tuple[Interaction | None, dt.datetime]:
        rng = self.rng
        opened = opening + dt.timedelta(seconds=rng.random() * 12 * 3600)
        channel = rng.choices(_SCALE_CHANNELS, weights=_SCALE_CHANNEL_WEIGHTS)[0]
        if channel in (Channel.PHONE, Channel.IN_PERSON):
            minutes = rng.expovariate(1 / 1.2)
        else:
            minutes = rng.lognormvariate(math.log(12), 0.9)
        responded = opened + dt.timedelta(minutes=minutes * profile.response)
        is_fcr = rng.random() < profile.fcr
        is_escalated = not is_fcr and rng.random() < 0.2
        hours = 0.15 if is_fcr else rng.lognormvariate(math.log(5 * profile.response), 0.9)
        resolved = responded + dt.timedelta(hours=hours)
        due = done = None
        if not is_fcr and rng.random() < 0.4:
            due = resolved.astimezone(self.zone).date() + dt.timedelta(days=1)
            if rng.random() < profile.discipline:
                done = dt.datetime.combine(due, dt.time(10), tzinfo=self.zone) + dt.timedelta(
                    minutes=rng.randrange(420)
                )
        if opened > self.now:
            return None, resolved
        resolved_at = resolved if resolved <= self.now else None
        return Interaction(
            customer=self.customers[rng.randrange(len(self.customers))],
            employee=agent,
            channel=channel,
            subject="Customer request",
            opened_at=opened,
            first_response_at=responded if responded <= self.now else None,
            resolved_at=resolved_at,
            is_first_contact_resolution=is_fcr and resolved_at is not None,
            is_escalated=is_escalated,
            follow_up_due=due,
            follow_up_done_at=done if done is not None and done <= self.now else None,
        ), resolved

    def response_draw(self, row: Interaction, resolved: dt.datetime, quality: float) -> None:
        rng = self.rng
        submitted = resolved + dt.timedelta(hours=rng.uniform(0.1, 48))
        csat = int(clamp(round(4.0 + 0.55 * quality + rng.gauss(0, 0.85)), 1, 5))
        nps = int(clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        has_nps = rng.random() < 0.85
        if submitted <= self.now and not row.customer.has_opted_out_of_surveys:
            self.pending[SurveyResponse].append(
                SurveyResponse(
                    interaction=row,
                    csat=csat,
                    nps=nps if has_nps else None,
                    language=row.customer.language,
                    submitted_at=submitted,
                )
            )

    def review_draw(
        self, row: Interaction, resolved: dt.datetime, quality: float, lead: Employee
    ) -> None:
        rng = self.rng
        published = resolved + dt.timedelta(hours=rng.uniform(20, 72))
        ratings = [
            QARating(
                criterion=criterion,
                rating=None
                if criterion.is_critical and not row.is_escalated
                else int(clamp(round(rng.gauss(2.6 + 0.7 * quality, 0.75)), 0, 4)),
            )
            for criterion in self.criteria
        ]
        if row.resolved_at is None:
            return
        review = QAReview(interaction=row, reviewer=lead, version=self.version)
        if published <= self.now:
            review.status = ReviewStatus.PUBLISHED
            review.published_at = review.scored_at = published
            review.total = quantize(
                qa_review_total(
                    ratings=[
                        CriterionRating(
                            weight=criterion.weight,
                            rating=rating.rating,
                            is_critical=criterion.is_critical,
                        )
                        for criterion, rating in zip(self.criteria, ratings, strict=True)
                    ]
                )
            )
        for rating in ratings:
            rating.review = review
        self.pending[QAReview].append(review)
        self.pending[QARating] += ratings

    def flush(self) -> None:
        """Insert the pending rows, parents first, so each child picks up its parent's id."""
        for model, key in (
            (Interaction, "interactions"),
            (SurveyResponse, "survey_responses"),
            (QAReview, "qa_reviews"),
            (QARating, "qa_ratings"),
        ):
            rows = self.pending[model]
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
            self.counts[key] += len(rows)
            rows.clear()
