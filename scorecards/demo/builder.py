"""The demo organisation for `make run`: teams, staff, customers, 90 days of interactions,
surveys, QA reviews and goals, then their scores as the scheduled runs would have computed them.

Every value is drawn from one `random.Random(seed)`, so a seed and an end date give the same rows
on every empty database. Nothing is dated after the present moment: on the real today, what has
not happened yet (a later opening, response, survey answer) is left out or left pending.
"""

import datetime as dt
import math
import random
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from crs_site.lib.numbers import quantize
from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from feedback.choices import DisputeOutcome, ReviewAction, ReviewReason, ReviewStatus
from feedback.models import (
    QADisputeItem,
    QARating,
    QAReview,
    QAReviewEvent,
    SurveyInvitation,
    SurveyResponse,
)
from feedback.qa_scoring import CriterionRating, qa_review_total
from scorecards.choices import ChangeKind, VersionStatus
from scorecards.demo.content import (
    COMMENTS,
    COMPANIES,
    CRITERIA,
    DISPUTE_REASON,
    DISPUTE_RESOLUTION,
    DRAFT_CHANGE_SUMMARY,
    EARLIER_GOAL_TARGETS,
    GOALS,
    INTRO,
    METRICS,
    NAMES,
    NOTES,
    REVIEW_COMMENTS,
    SUBJECTS,
    TRANSLATED_LANGUAGES,
)
from scorecards.models import (
    Alert,
    ChangeEvent,
    Goal,
    Metric,
    QACriterion,
    RuleAcknowledgement,
    Scorecard,
    ScorecardVersion,
    ScoreFillState,
)
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

BATCH_SIZE = 5000
SCORECARD_SLUG = "customer-service"
VERSION_AGE_DAYS = 120
SLA_MINUTES = 30
TRAINING_DAYS_AGO = 30
MOVE_DAYS_AGO = 20
NEW_HIRE_DAYS_AGO = 14

Report = Callable[[str], None]


# --- Organisation shape -----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How one team or person tends to work; every draw of an interaction starts here."""

    response: float  # multiplies response delays: below 1 is faster
    fcr: float  # probability of resolving on first contact
    escalation: float  # probability of escalating
    quality: float  # shifts QA ratings and customer satisfaction, about -1..1
    discipline: float  # probability of doing a follow-up on time
    volume: float  # interactions a day on a full weekday

    def blend(self, other: "Profile", share: float) -> "Profile":
        """Return this profile moved `share` (0..1) of the way towards `other`."""
        return Profile(
            *(a + (b - a) * share for a, b in zip(_fields(self), _fields(other), strict=True))
        )

    def adjusted(self, skill: float) -> "Profile":
        """Return the profile of a person `skill` (about -1..1) better or worse than the team."""
        return Profile(
            response=self.response * math.exp(-0.6 * skill),
            fcr=clamp(self.fcr + 0.08 * skill, 0.2, 0.95),
            escalation=clamp(self.escalation - 0.03 * skill, 0.01, 0.3),
            quality=self.quality + skill,
            discipline=clamp(self.discipline + 0.05 * skill, 0.4, 0.99),
            volume=self.volume * (1 + 0.12 * skill),
        )


def _fields(profile: Profile) -> tuple[float, ...]:
    return (
        profile.response,
        profile.fcr,
        profile.escalation,
        profile.quality,
        profile.discipline,
        profile.volume,
    )


@dataclass(frozen=True)
class TeamSpec:
    name: str
    slug: str
    kind: str  # which subjects its interactions carry
    country: str  # whose customers it serves; "" for the key accounts of every country
    share: float  # of the agents
    languages: dict[str, float]  # staff languages and how common
    channels: dict[str, float]
    weekday_hours: tuple[int, int]
    saturday_hours: tuple[int, int] | None
    profile: Profile
    # After the team's training change event the team works like this (reached in a week).
    trained: Profile | None = None
    manager: tuple[str, str, str, str] = ("", "", "", "en")  # username, first, last, language


TEAMS: tuple[TeamSpec, ...] = (
    TeamSpec(
        name="Riga Support", slug="riga-support", kind="support", country="lv", share=0.3,
        languages={"lv": 0.55, "ru": 0.35, "en": 0.1},
        channels={Channel.PHONE: 35, Channel.EMAIL: 30, Channel.CHAT: 25, Channel.SOCIAL: 7,
                  Channel.IN_PERSON: 3},
        weekday_hours=(8, 18), saturday_hours=(10, 15),
        profile=Profile(0.8, 0.76, 0.05, 0.45, 0.92, 23),
        manager=("manager", "Ilze", "Kalniņa", "en"),
    ),
    TeamSpec(
        name="Vilnius Support", slug="vilnius-support", kind="support", country="lt", share=0.27,
        languages={"lt": 0.65, "ru": 0.25, "en": 0.1},
        channels={Channel.PHONE: 35, Channel.EMAIL: 30, Channel.CHAT: 25, Channel.SOCIAL: 7,
                  Channel.IN_PERSON: 3},
        weekday_hours=(8, 18), saturday_hours=(10, 15),
        profile=Profile(1.8, 0.55, 0.13, -0.45, 0.76, 20),
        trained=Profile(1.0, 0.72, 0.07, 0.2, 0.88, 21),
        manager=("ruta.petrauskiene", "Rūta", "Petrauskienė", "lt"),
    ),
    TeamSpec(
        name="Tallinn Sales", slug="tallinn-sales", kind="sales", country="ee", share=0.22,
        languages={"en": 0.7, "ru": 0.3},
        channels={Channel.PHONE: 40, Channel.EMAIL: 30, Channel.IN_PERSON: 15, Channel.CHAT: 10,
                  Channel.SOCIAL: 5},
        weekday_hours=(9, 17), saturday_hours=None,
        profile=Profile(1.1, 0.66, 0.06, 0.1, 0.85, 15),
        manager=("andres.tamm", "Andres", "Tamm", "en"),
    ),
    TeamSpec(
        name="Key Accounts", slug="key-accounts", kind="key", country="", share=0.21,
        languages={"en": 0.5, "lv": 0.2, "lt": 0.15, "ru": 0.15},
        channels={Channel.EMAIL: 45, Channel.PHONE: 35, Channel.IN_PERSON: 15, Channel.CHAT: 5},
        weekday_hours=(8, 17), saturday_hours=None,
        profile=Profile(0.9, 0.64, 0.09, 0.4, 0.95, 13),
        manager=("daniel.ward", "Daniel", "Ward", "en"),
    ),
)  # fmt: skip

_COUNTRY_LANGUAGES = {
    "lv": {"lv": 0.55, "ru": 0.35, "en": 0.1},
    "lt": {"lt": 0.7, "ru": 0.2, "en": 0.1},
    "ee": {"en": 0.65, "ru": 0.35},
}
_PHONE_PREFIX = {"lv": "+371 2", "lt": "+370 6", "ee": "+372 5"}
TIERS = {Tier.STANDARD: 60, Tier.SILVER: 22, Tier.GOLD: 13, Tier.PLATINUM: 5}
_TIER_POINTS = {
    Tier.STANDARD: (5, 40),
    Tier.SILVER: (40, 120),
    Tier.GOLD: (120, 400),
    Tier.PLATINUM: (400, 1500),
}
_CRITERION_SHIFT = {"greeting": 0.4, "courtesy-teamwork": 0.3, "problem-solving": -0.2}


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_database_is_empty() -> bool:
    """Tell whether the database holds no team yet, so demo data may be loaded."""
    return not Team.objects.exists()


def demo_organisation_zone() -> zoneinfo.ZoneInfo:
    """Return the zone whose local days and opening hours the demo data follows."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- The scorecard ----------------------------------------------------------------------------


def demo_scorecard_create(*, today: dt.date) -> ScorecardVersion:
    """Create the "Customer service" scorecard: version 1 in force, version 2 a draft."""
    scorecard = Scorecard.objects.create(
        name="Customer service",
        slug=SCORECARD_SLUG,
        description="What we expect from everyone who serves customers, and how it is measured.",
    )
    effective = today - dt.timedelta(days=VERSION_AGE_DAYS)
    published = _version_create(
        scorecard=scorecard, number=1, effective_from=effective, draft=False
    )
    # Built as a draft with its rules, then published in one UPDATE: the model refuses to save
    # a published version, and on PostgreSQL a trigger refuses any change to its rules.
    published_at = dt.datetime.combine(
        effective - dt.timedelta(days=7), dt.time(10), tzinfo=demo_organisation_zone()
    )
    ScorecardVersion.objects.filter(pk=published.pk).update(
        status=VersionStatus.PUBLISHED, published_at=published_at
    )
    _version_create(
        scorecard=scorecard, number=2, effective_from=today + dt.timedelta(days=14), draft=True
    )
    published.refresh_from_db()
    return published


def _version_create(
    *, scorecard: Scorecard, number: int, effective_from: dt.date, draft: bool
) -> ScorecardVersion:
    translations = {language: {"intro": INTRO[language]} for language in TRANSLATED_LANGUAGES}
    if draft:
        for language in TRANSLATED_LANGUAGES:
            translations[language]["change_summary"] = DRAFT_CHANGE_SUMMARY[language]
    version = ScorecardVersion.objects.create(
        scorecard=scorecard,
        number=number,
        effective_from=effective_from,
        intro=INTRO["en"],
        change_summary=DRAFT_CHANGE_SUMMARY["en"] if draft else "",
        sla_minutes=SLA_MINUTES,
        green_from=Decimal(80),
        amber_from=Decimal(60),
        translations=translations,
    )
    Metric.objects.bulk_create(
        [
            Metric(
                version=version,
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                weight=Decimal(spec.draft_weight if draft else spec.weight),
                target=Decimal(spec.target),
                floor=Decimal(spec.floor),
                min_sample=spec.min_sample,
                rule_what=spec.text["en"][1],
                rule_why=spec.text["en"][2],
                rule_how=spec.text["en"][3],
                translations={
                    language: dict(
                        zip(
                            ("label", "rule_what", "rule_why", "rule_how"),
                            spec.text[language],
                            strict=True,
                        )
                    )
                    for language in TRANSLATED_LANGUAGES
                },
            )
            for position, spec in enumerate(METRICS, start=1)
        ]
    )
    QACriterion.objects.bulk_create(
        [
            QACriterion(
                version=version,
                position=position,
                code=spec.code,
                label=spec.text["en"][0],
                description=spec.text["en"][1],
                examples=spec.text["en"][2],
                weight=Decimal(spec.weight),
                is_critical=spec.is_critical,
                translations={
                    language: dict(
                        zip(("label", "description", "examples"), spec.text[language], strict=True)
                    )
                    for language in TRANSLATED_LANGUAGES
                },
            )
            for position, spec in enumerate(CRITERIA, start=1)
        ]
    )
    return version


# --- The default organisation -----------------------------------------------------------------


@dataclass
class _Person:
    employee: Employee
    skill: float
    # (team spec, first day, last day or None) in date order
    spells: list[tuple[TeamSpec, dt.date, dt.date | None]]

    def spec_on(self, day: dt.date) -> TeamSpec | None:
        for spec, first, last in self.spells:
            if first <= day and (last is None or day <= last):
                return spec
        return None


@dataclass
class _Draft:
    """An interaction as drawn, before anything after the present moment is cut off."""

    person: _Person
    spec: TeamSpec
    customer: Customer
    channel: str
    subject: str
    notes: str
    opened: dt.datetime
    responded: dt.datetime
    resolved: dt.datetime
    is_fcr: bool
    is_escalated: bool
    follow_up_due: dt.date | None
    follow_up_done: dt.datetime | None
    follow_up_outcome: str  # "", "on_time", "late" or "missed"
    quality: float
    source: str
    is_flagged: bool
    row: Interaction | None = None


class _Builder:
    """Draw the default organisation day by day; write every table with a few bulk inserts."""

    def __init__(
        self, *, seed: int, today: dt.date, agents: int, days: int, customers: int, report: Report
    ) -> None:
        self.rng = random.Random(seed)
        # Draws added after the first release use their own stream, so the rest of the demo
        # (interactions, answers, reviews) stays what it was for a seed.
        self.reading_rng = random.Random(f"{seed}-reading")
        self.today = today
        self.agents = agents
        self.days = days
        self.customer_count = customers
        self.report = report
        self.zone = demo_organisation_zone()
        self.now = timezone.now()
        self.first_day = today - dt.timedelta(days=days - 1)
        self.password = make_password(settings.CRS_DEMO_PASSWORD)
        self.usernames: set[str] = set()
        self.teams: dict[str, Team] = {}
        self.managers: dict[str, Employee] = {}
        self.people: list[_Person] = []
        self.customers: list[Customer] = []
        self.pools: dict[str, list[Customer]] = {}
        self.drafts: list[_Draft] = []
        self.counts: dict[str, int] = {}

    # Dates and times

    def at(self, day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=self.zone)

    def hours_on(self, spec: TeamSpec, day: dt.date) -> tuple[int, int] | None:
        weekday = day.weekday()
        if weekday < 5:
            return spec.weekday_hours
        return spec.saturday_hours if weekday == 5 else None

    def into_hours(self, spec: TeamSpec, moment: dt.datetime) -> dt.datetime:
        """Move a moment outside the team's opening hours to shortly after the next opening."""
        local = moment.astimezone(self.zone)
        day = local.date()
        hours = self.hours_on(spec, day)
        if hours and hours[0] <= local.hour < hours[1]:
            return moment
        if not hours or local.hour >= hours[1]:
            day += dt.timedelta(days=1)
            while not (hours := self.hours_on(spec, day)):
                day += dt.timedelta(days=1)
        return self.at(day, hours[0]) + dt.timedelta(minutes=self.rng.uniform(2, 45))

    def business_days_after(self, day: dt.date, count: int) -> dt.date:
        while count:
            day += dt.timedelta(days=1)
            count -= day.weekday() < 5
        return day

    # Steps

    def run(self) -> dict[str, int]:
        self.report(_("Scorecard and rules…"))
        self.version = demo_scorecard_create(today=self.today)
        self.criteria = list(self.version.qa_criteria.order_by("position"))
        self.report(_("Teams and staff…"))
        self.staff_create()
        self.report(_("Customers…"))
        self.customers_create()
        self.change_events_create()
        self.report(_("Interactions…"))
        self.interactions_draw()
        self.interactions_write()
        self.report(_("Surveys…"))
        self.surveys_create()
        self.report(_("QA reviews…"))
        self.reviews_create()
        self.goals_create()
        self.acknowledgements_create()
        for step in _demo_steps:
            self.counts.update(step(today=self.today, now=self.now, rng=self.rng))
        return self.counts

    def user_new(self, *, first: str, last: str, username: str = "", **extra):
        if not username:
            base = f"{_ascii(first)}.{_ascii(last)}"
            username, number = base, 1
            while username in self.usernames:
                number += 1
                username = f"{base}{number}"
        self.usernames.add(username)
        return get_user_model()(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@crs.example",
            password=self.password,
            **extra,
        )

    def name_draw(self, tradition: str) -> tuple[str, str]:
        male_first, male_last, female_first, female_last = NAMES[tradition]
        if self.rng.random() < 0.6:
            return self.rng.choice(female_first), self.rng.choice(female_last)
        return self.rng.choice(male_first), self.rng.choice(male_last)

    def staff_create(self) -> None:
        rng = self.rng
        counts = [max(2, round(self.agents * spec.share)) for spec in TEAMS]
        counts[0] += self.agents - sum(counts)
        for spec in TEAMS:
            self.teams[spec.slug] = Team(
                name=spec.name,
                slug=spec.slug,
                scorecard=self.version.scorecard,
                qa_sample_size=4 if spec.kind == "key" else 3,
                survey_channels=list(Channel.values),
                survey_rate_percent=60,
                survey_cooldown_days=2,
            )
        Team.objects.bulk_create(self.teams.values())

        # (user, role, hire date, language, team spec or None, skill)
        rows = [
            (
                self.user_new(
                    username="admin", first="Marta", last="Lapiņa", is_staff=True,
                    is_superuser=True,
                ),
                Role.ADMIN, self.today - dt.timedelta(days=1460), "en", None, 0.0,
            ),
            (
                self.user_new(username="onboarding", first="Laura", last="Vītola"),
                Role.ONBOARDING, self.today - dt.timedelta(days=900), "en", None, 0.0,
            ),
        ]  # fmt: skip
        for spec in TEAMS:
            username, first, last, language = spec.manager
            rows.append(
                (
                    self.user_new(username=username, first=first, last=last),
                    Role.MANAGER,
                    self.today - dt.timedelta(days=rng.randint(900, 2500)),
                    language,
                    spec,
                    0.0,
                )
            )
        hires = {"riga-support": 14, "tallinn-sales": 25, "key-accounts": 9}
        for spec, count in zip(TEAMS, counts, strict=True):
            for index in range(count):
                language = _weighted(rng, spec.languages)
                # English speakers in Tallinn carry Estonian names.
                tradition = "ee" if spec.country == "ee" and language == "en" else language
                first, last = self.name_draw(tradition)
                skill = rng.gauss(0, 0.35)
                username = ""
                if spec.slug == "riga-support" and index == 0:
                    username, first, last, language, skill = "agent", "Anna", "Ozoliņa", "en", 0.15
                elif count >= 5 and index == 2:
                    skill = 0.8  # the team's star
                elif count >= 5 and index == 3:
                    skill = -0.7  # and the one who needs coaching
                days_ago = rng.randint(200, 2200)
                is_new = spec.slug in hires and index == count - 1
                if is_new or (spec.slug == "riga-support" and count >= 5 and index == count - 2):
                    days_ago = hires[spec.slug]
                rows.append(
                    (
                        self.user_new(username=username, first=first, last=last),
                        Role.AGENT,
                        self.today - dt.timedelta(days=days_ago),
                        language,
                        spec,
                        skill,
                    )
                )
        users = get_user_model().objects.bulk_create([row[0] for row in rows])
        employees = Employee.objects.bulk_create(
            [
                Employee(
                    user=user,
                    role=role,
                    hire_date=hired,
                    language=language,
                    external_id=f"HR-{1001 + index}",
                )
                for index, (user, (_user, role, hired, language, _spec, _skill)) in enumerate(
                    zip(users, rows, strict=True)
                )
            ]
        )
        memberships = []
        move_day = self.today - dt.timedelta(days=MOVE_DAYS_AGO)
        riga_agents = 0
        for employee, (_user, role, hired, _language, spec, skill) in zip(
            employees, rows, strict=True
        ):
            if role == Role.MANAGER:
                self.managers[spec.slug] = employee
                continue
            if role != Role.AGENT:
                continue
            spells = [(spec, hired, None)]
            if spec.slug == "riga-support":
                riga_agents += 1
                # One agent moved from Riga Support to Key Accounts: the old membership ends
                # the day before the new one starts, so each past day keeps its team.
                if riga_agents == 2:
                    key = next(team for team in TEAMS if team.slug == "key-accounts")
                    spells = [
                        (spec, hired, move_day - dt.timedelta(days=1)),
                        (key, move_day, None),
                    ]
            memberships += [
                TeamMembership(
                    employee=employee, team=self.teams[s.slug], starts_on=first, ends_on=last
                )
                for s, first, last in spells
            ]
            self.people.append(_Person(employee=employee, skill=skill, spells=spells))
        TeamMembership.objects.bulk_create(memberships)
        for slug, manager in self.managers.items():
            self.teams[slug].managers.add(manager)
        self.employees = employees
        self.counts.update(teams=len(self.teams), employees=len(employees), agents=len(self.people))

    def customers_create(self) -> None:
        rng = self.rng
        customers = []
        for index in range(self.customer_count):
            country = _weighted(rng, {"lv": 40, "lt": 35, "ee": 25})
            language = _weighted(rng, _COUNTRY_LANGUAGES[country])
            tier = _weighted(rng, TIERS)
            tradition = "ee" if country == "ee" and language == "en" else language
            first, last = self.name_draw(tradition)
            is_company = tier in (Tier.GOLD, Tier.PLATINUM) or rng.random() < 0.6
            company = rng.choice(COMPANIES[country]) if is_company else ""
            domain = (
                f"{_ascii(company).replace(' ', '')}.{country}"
                if company
                else rng.choice(("gmail.com", "inbox.lv", "outlook.com", "mail.ee"))
            )
            customer = Customer(
                name=f"{first} {last}",
                company=company,
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                phone=f"{_PHONE_PREFIX[country]}{rng.randint(0, 9999999):07d}",
                language=language,
                tier=tier,
                value_points=rng.randint(*_TIER_POINTS[tier]),
                external_id=f"C-{10001 + index}",
                has_opted_out_of_surveys=rng.random() < 0.08,
            )
            customers.append(customer)
            self.pools.setdefault(country, []).append(customer)
            if tier in (Tier.GOLD, Tier.PLATINUM):
                self.pools.setdefault("", []).append(customer)
        self.customers = Customer.objects.bulk_create(customers)
        self.counts["customers"] = len(customers)

    def change_events_create(self) -> None:
        training_day = self.today - dt.timedelta(days=TRAINING_DAYS_AGO)
        hire_day = self.today - dt.timedelta(days=NEW_HIRE_DAYS_AGO)
        events = [
            ChangeEvent(
                day=training_day,
                team=self.teams["vilnius-support"],
                kind=ChangeKind.TRAINING,
                title="First-contact resolution and de-escalation training",
                notes="Two days of coaching for the whole team: asking the second question, "
                "using the knowledge base, calming an upset customer. Follow-up reminders "
                "switched on in the helpdesk the same week.",
                created_by=self.managers["vilnius-support"],
            ),
            ChangeEvent(
                day=hire_day,
                team=self.teams["riga-support"],
                kind=ChangeKind.NEW_HIRE,
                title="New agents join Riga Support",
                notes="New colleagues start on the phone and chat queues with a buddy for "
                "their first three weeks.",
                created_by=self.managers["riga-support"],
            ),
        ]
        for event in events:
            event.created_at = self.at(event.day, 9, 30)
        _bulk_create_dated(ChangeEvent, events, "created_at")
        self.counts["change_events"] = len(events)

    def profile_on(self, person: _Person, spec: TeamSpec, day: dt.date) -> Profile:
        profile = spec.profile
        if spec.trained is not None:
            training_day = self.today - dt.timedelta(days=TRAINING_DAYS_AGO)
            share = clamp((day - training_day).days / 7, 0, 1)
            profile = profile.blend(spec.trained, share)
        tenure = (day - person.employee.hire_date).days
        ramp = clamp(0.35 + 0.65 * tenure / 21, 0.35, 1)
        profile = profile.adjusted(person.skill - 0.6 * (1 - ramp))
        return replace(profile, volume=profile.volume * ramp)

    def interactions_draw(self) -> None:
        rng = self.rng
        peaks = _hour_weights
        for person in self.people:
            for offset in range(self.days):
                day = self.first_day + dt.timedelta(days=offset)
                spec = person.spec_on(day)
                hours = spec and self.hours_on(spec, day)
                if not hours:
                    continue
                if day.weekday() == 5:
                    if rng.random() > 0.3:
                        continue
                    share = 0.45
                else:
                    if rng.random() < 0.05:
                        continue  # a day off
                    share = 1.0
                profile = self.profile_on(person, spec, day)
                count = max(0, round(rng.gauss(profile.volume * share, 3)))
                choices, weights = peaks(hours)
                for _index in range(count):
                    hour = rng.choices(choices, weights=weights)[0]
                    opened = self.at(day, hour, rng.randrange(60), rng.randrange(60))
                    self.drafts.append(self.draft(person, spec, profile, opened))
        self.drafts.sort(key=lambda draft: (draft.opened, draft.person.employee.pk))

    def draft(
        self, person: _Person, spec: TeamSpec, profile: Profile, opened: dt.datetime
    ) -> _Draft:
        rng = self.rng
        channel = _weighted(rng, spec.channels)
        is_live = channel in (Channel.PHONE, Channel.IN_PERSON)
        if is_live:
            minutes = rng.expovariate(1 / 1.2)
        elif channel == Channel.CHAT:
            minutes = rng.lognormvariate(math.log(3), 0.6)
        else:
            minutes = rng.lognormvariate(math.log(20), 0.9)
        responded = self.into_hours(spec, opened + dt.timedelta(minutes=minutes * profile.response))
        fcr_chance = profile.fcr + (0.06 if is_live else -0.1)
        is_fcr = rng.random() < fcr_chance
        is_escalated = not is_fcr and rng.random() < clamp(
            profile.escalation / max(0.05, 1 - fcr_chance), 0, 0.6
        )
        if is_fcr:
            resolved = responded + dt.timedelta(minutes=rng.lognormvariate(math.log(8), 0.5))
        else:
            hours = rng.lognormvariate(math.log(5 * profile.response), 0.9)
            hours = min(240.0, hours * (2.5 if is_escalated else 1))
            resolved = self.into_hours(spec, responded + dt.timedelta(hours=hours))
        due = done = None
        outcome = ""
        if is_escalated or (not is_fcr and rng.random() < 0.5):
            resolved_day = resolved.astimezone(self.zone).date()
            due = self.business_days_after(resolved_day, rng.choice((1, 1, 2, 3)))
            draw = rng.random()
            if draw < profile.discipline:
                outcome = "on_time"
                done = max(
                    self.at(due, rng.randint(9, 16), rng.randrange(60)),
                    resolved + dt.timedelta(minutes=30),
                )
            elif draw < profile.discipline + (1 - profile.discipline) * 0.6:
                outcome = "late"
                done = self.at(
                    due + dt.timedelta(days=rng.randint(1, 3)),
                    rng.randint(9, 16),
                    rng.randrange(60),
                )
            else:
                outcome = "missed"
        source = "crs"
        if channel in (Channel.EMAIL, Channel.SOCIAL) and rng.random() < 0.6:
            source = "helpdesk"
        return _Draft(
            person=person,
            spec=spec,
            customer=rng.choice(self.pools.get(spec.country) or self.customers),
            channel=channel,
            subject=rng.choice(SUBJECTS[spec.kind]),
            notes=rng.choice(NOTES) if rng.random() < 0.25 else "",
            opened=opened,
            responded=responded,
            resolved=resolved,
            is_fcr=is_fcr,
            is_escalated=is_escalated,
            follow_up_due=due,
            follow_up_done=done,
            follow_up_outcome=outcome,
            quality=profile.quality,
            source=source,
            is_flagged=rng.random() < 0.01,
        )

    def happened(self, moment: dt.datetime | None) -> dt.datetime | None:
        return moment if moment is not None and moment <= self.now else None

    def interactions_write(self) -> None:
        rows = []
        helpdesk_number = 100000
        for draft in self.drafts:
            if draft.opened > self.now:
                continue
            resolved = self.happened(draft.resolved)
            external_id = None
            if draft.source == "helpdesk":
                helpdesk_number += 1
                external_id = f"HD-{helpdesk_number}"
            draft.row = Interaction(
                customer=draft.customer,
                employee=draft.person.employee,
                channel=draft.channel,
                subject=draft.subject,
                notes=draft.notes,
                opened_at=draft.opened,
                first_response_at=self.happened(draft.responded),
                resolved_at=resolved,
                is_first_contact_resolution=draft.is_fcr and resolved is not None,
                is_escalated=draft.is_escalated,
                follow_up_due=draft.follow_up_due,
                follow_up_done_at=self.happened(draft.follow_up_done),
                is_flagged_for_review=draft.is_flagged,
                source=draft.source,
                external_id=external_id,
            )
            rows.append(draft.row)
        Interaction.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        # Historical creation times, so "recent" lists and audit fields read like real use.
        Interaction.objects.filter(pk__in=[row.pk for row in rows]).update(
            created_at=F("opened_at"),
            updated_at=Coalesce(
                "follow_up_done_at", "resolved_at", "first_response_at", "opened_at"
            ),
        )
        self.counts["interactions"] = len(rows)

    def surveys_create(self) -> None:
        rng = self.rng
        last_invited: dict[int, dt.date] = {}
        invitations, responses = [], []
        for draft in self.drafts:
            customer = draft.customer
            resolved_day = draft.resolved.astimezone(self.zone).date()
            previous = last_invited.get(customer.pk)
            if customer.has_opted_out_of_surveys or (
                previous is not None and (resolved_day - previous).days < 2
            ):
                continue
            if rng.random() >= 0.6:
                continue
            last_invited[customer.pk] = resolved_day
            sent = draft.resolved + dt.timedelta(minutes=5)
            invitation = SurveyInvitation(
                language=customer.language,
                nonce=f"{rng.getrandbits(128):032x}",
                expires_at=sent + dt.timedelta(days=14),
                sent_at=sent,
            )
            answered = None
            if rng.random() < 0.4:
                delay = min(13 * 24.0, rng.lognormvariate(math.log(3), 1.2))
                answered = sent + dt.timedelta(hours=delay)
                csat, nps, comment = self.answer_draw(draft)
            if draft.row is None or draft.row.resolved_at is None or sent > self.now:
                continue
            invitation.interaction = draft.row
            invitations.append(invitation)
            if answered is not None and answered <= self.now:
                invitation.used_at = answered
                responses.append(
                    SurveyResponse(
                        interaction=draft.row,
                        invitation=invitation,
                        csat=csat,
                        nps=nps,
                        comment=comment,
                        language=customer.language,
                        submitted_at=answered,
                    )
                )
        SurveyInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
        SurveyInvitation.objects.filter(pk__in=[row.pk for row in invitations]).update(
            created_at=F("sent_at")
        )
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        self.counts.update(survey_invitations=len(invitations), survey_responses=len(responses))

    def answer_draw(self, draft: _Draft) -> tuple[int, int | None, str]:
        rng = self.rng
        hours = (draft.resolved - draft.opened).total_seconds() / 3600
        waited = (draft.responded - draft.opened).total_seconds() / 60
        mood = (
            4.3
            + 0.55 * draft.quality
            + 0.3 * draft.is_fcr
            - 0.8 * draft.is_escalated
            - 0.5 * (hours > 24)
            - 0.4 * (waited > 60)
            - 0.6 * (draft.follow_up_outcome == "missed")
            + rng.gauss(0, 0.85)
        )
        csat = int(clamp(round(mood), 1, 5))
        nps = None
        if rng.random() < 0.85:
            nps = int(clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        comment = ""
        if rng.random() < 0.45:
            mood_key = "good" if csat >= 4 else "fair" if csat == 3 else "poor"
            comment = rng.choice(COMMENTS[draft.customer.language][mood_key])
        return csat, nps, comment

    def reviews_create(self) -> None:
        rng = self.rng
        weeks: dict[tuple[int, dt.date], list[_Draft]] = {}
        for draft in self.drafts:
            day = draft.opened.astimezone(self.zone).date()
            monday = day - dt.timedelta(days=day.weekday())
            weeks.setdefault((draft.person.employee.pk, monday), []).append(draft)
        reviews, ratings, events = [], [], []
        # Disputes are decided by someone other than the review's author: the QA lead (admin).
        self.quality_lead = Employee.objects.filter(role=Role.ADMIN).order_by("pk").first()
        self.dispute_items: list[QADisputeItem] = []
        for (_employee_id, _monday), candidates in weeks.items():
            size = self.teams[candidates[0].spec.slug].qa_sample_size
            for draft in rng.sample(candidates, min(size, len(candidates))):
                review, review_ratings, review_events = self.review_draw(draft)
                if review is None:
                    continue
                reviews.append(review)
                ratings += review_ratings
                events += review_events
        _bulk_create_dated(QAReview, reviews, "created_at")
        QARating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
        _bulk_create_dated(QAReviewEvent, events, "at")
        for item in self.dispute_items:
            item.review_id = item.review.pk
        QADisputeItem.objects.bulk_create(self.dispute_items)
        self.counts.update(qa_reviews=len(reviews), qa_ratings=len(ratings))

    def review_draw(self, draft: _Draft):
        rng = self.rng
        reviewer = self.managers[draft.spec.slug]
        published = self.into_hours(
            draft.spec, draft.resolved + dt.timedelta(hours=rng.uniform(20, 96))
        )
        ratings = []
        for criterion in self.criteria:
            if criterion.code == "correct-escalation":
                if not draft.is_escalated:
                    rating = None
                elif rng.random() < 0.04:
                    rating = 0
                else:
                    rating = self.rating_draw(draft.quality + 0.2)
            elif criterion.code == "follow-up":
                rating = {
                    "": None,
                    "on_time": rng.choice((3, 4, 4)),
                    "late": rng.choice((1, 2)),
                    "missed": rng.choice((0, 1)),
                }[draft.follow_up_outcome]
            else:
                rating = self.rating_draw(draft.quality + _CRITERION_SHIFT.get(criterion.code, 0))
            ratings.append(QARating(criterion=criterion, rating=rating))
        total = quantize(
            qa_review_total(
                ratings=[
                    CriterionRating(
                        weight=criterion.weight,
                        rating=row.rating,
                        is_critical=criterion.is_critical,
                    )
                    for criterion, row in zip(self.criteria, ratings, strict=True)
                ]
            )
        )
        fate = rng.random()
        disputed = published + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        settled = disputed + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        if draft.row is None or draft.row.resolved_at is None:
            return None, [], []
        agent = draft.person.employee
        review = QAReview(
            interaction=draft.row,
            reviewer=reviewer,
            version=self.version,
            reason=ReviewReason.FLAGGED if draft.is_flagged else ReviewReason.SAMPLE,
            created_at=published - dt.timedelta(hours=2),
        )
        for rating in ratings:
            rating.review = review
        events = [
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.CREATED,
                          at=review.created_at),
        ]  # fmt: skip
        if published > self.now:
            review.created_at = min(review.created_at, self.now)
            events[0].at = review.created_at
            return review, ratings, events
        review.status = ReviewStatus.PUBLISHED
        review.total = total
        review.published_at = review.scored_at = published
        review.comment = next(text for floor, text in REVIEW_COMMENTS if total >= floor)
        events.append(
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.PUBLISHED,
                          total=total, at=published)
        )  # fmt: skip
        # Most agents read a review within a day; the latest ones are often still unread.
        seen = published + dt.timedelta(hours=self.reading_rng.uniform(1, 30))
        if seen <= self.now and self.reading_rng.random() < 0.85:
            review.seen_at = seen
            events.append(
                QAReviewEvent(review=review, actor=agent, action=ReviewAction.SEEN, at=seen)
            )
        if fate < 0.05 and disputed <= self.now:
            # The agent disputes the lowest rating, proposing two steps more.
            rated = [row for row in ratings if row.rating is not None]
            lowest = min(rated, key=lambda row: row.rating) if rated else None
            if lowest is not None:
                self.dispute_items.append(
                    QADisputeItem(
                        review=review,
                        criterion=lowest.criterion,
                        original_rating=lowest.rating,
                        proposed_rating=min(4, lowest.rating + 2),
                        reason=DISPUTE_REASON,
                    )
                )
            review.status = ReviewStatus.DISPUTED
            review.dispute_reason = DISPUTE_REASON
            review.disputed_at = disputed
            events.append(
                QAReviewEvent(review=review, actor=agent, action=ReviewAction.DISPUTED,
                              note=DISPUTE_REASON, at=disputed)
            )  # fmt: skip
            if fate < 0.025 and settled <= self.now:
                review.status = ReviewStatus.RESOLVED
                review.dispute_outcome = DisputeOutcome.UPHELD
                review.resolution_note = DISPUTE_RESOLUTION
                review.resolved_at = settled
                review.resolved_by = self.quality_lead or reviewer
                for item in self.dispute_items[-1:] if lowest is not None else []:
                    item.outcome = DisputeOutcome.UPHELD
                    item.resolved_rating = item.original_rating
                events.append(
                    QAReviewEvent(review=review, actor=review.resolved_by,
                                  action=ReviewAction.RESOLVED, note=DISPUTE_RESOLUTION,
                                  total=total, at=settled)
                )  # fmt: skip
        return review, ratings, events

    def rating_draw(self, quality: float) -> int:
        return int(clamp(round(self.rng.gauss(2.9 + 0.7 * quality, 0.75)), 0, 4))

    def goals_create(self) -> None:
        rng = self.rng
        chosen = [self.people[0], *rng.sample(self.people[1:], min(7, len(self.people) - 1))]
        goals = []
        for index, person in enumerate(chosen):
            metric, target, why = GOALS[0] if index == 0 else rng.choice(GOALS)
            language = person.employee.language
            manager = self.managers[person.spells[-1][0].slug]
            starts = self.today - dt.timedelta(days=rng.randint(10, 25))
            goals.append(
                Goal(
                    employee=person.employee,
                    metric=metric,
                    target=Decimal(target),
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=60),
                    why=why[language],
                    set_by=manager,
                    created_at=self.at(starts, 11),
                )
            )
            if index % 2 == 0:
                # The goal before this one, set a step lower: most people met it, some not.
                metric, _target, why = rng.choice(GOALS)
                target = EARLIER_GOAL_TARGETS[metric]
                earlier = starts - dt.timedelta(days=60)
                goals.append(
                    Goal(
                        employee=person.employee,
                        metric=metric,
                        target=Decimal(target),
                        starts_on=earlier,
                        ends_on=starts - dt.timedelta(days=1),
                        why=why[language],
                        set_by=manager,
                        created_at=self.at(earlier, 11),
                    )
                )
        _bulk_create_dated(Goal, goals, "created_at")
        self.counts["goals"] = len(goals)

    def acknowledgements_create(self) -> None:
        rng = self.rng
        acknowledgements = []
        for employee in self.employees:
            is_new = (self.today - employee.hire_date).days <= 31
            if is_new and rng.random() < 0.5:
                continue
            first = max(employee.hire_date, self.version.effective_from)
            moment = self.at(first + dt.timedelta(days=rng.randint(0, 4)), rng.randint(9, 16))
            acknowledgements.append(
                RuleAcknowledgement(
                    employee=employee, version=self.version, acknowledged_at=min(moment, self.now)
                )
            )
        _bulk_create_dated(RuleAcknowledgement, acknowledgements, "acknowledged_at")
        self.counts["rule_acknowledgements"] = len(acknowledgements)


def _bulk_create_dated(model, rows: list, field_name: str) -> None:
    """Insert rows keeping the moments set on them in an auto_now_add field.

    bulk_create stamps such a field with the present moment; the demo's history needs the
    moments it drew, so they are put back with one bulk UPDATE.
    """
    stamps = [getattr(row, field_name) for row in rows]
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    for row, stamp in zip(rows, stamps, strict=True):
        setattr(row, field_name, stamp)
    model.objects.bulk_update(rows, [field_name], batch_size=1000)


def _hour_weights(hours: tuple[int, int]) -> tuple[list[int], list[float]]:
    """Return the opening hours and how busy each is: a morning and an afternoon peak."""
    choices = list(range(*hours))
    weights = [
        1 + 1.2 * math.exp(-(((h - 10.5) / 1.5) ** 2)) + 0.9 * math.exp(-(((h - 14.5) / 1.5) ** 2))
        for h in choices
    ]
    return choices, weights


# Demo data of the apps above scorecards (coaching sessions): they register a step from their
# `AppConfig.ready()`, called as step(today=..., now=..., rng=...) -> {label: count} after the
# rest of the organisation is written, in the same transaction.
DemoStep = Callable[..., dict[str, int]]
_demo_steps: list[DemoStep] = []


def demo_step_register(step: DemoStep) -> None:
    """Add a step to the demo data; registering the same step twice keeps one."""
    if step not in _demo_steps:
        _demo_steps.append(step)


MIN_AGENTS = 10


def demo_seed(
    *,
    seed: int = 2026,
    today: dt.date,
    agents: int = 40,
    days: int = 90,
    customers: int = 300,
    report: Report = lambda message: None,
) -> dict[str, int]:
    """Fill an empty database with the demo organisation; return how many rows of each kind."""
    if agents < MIN_AGENTS:
        raise ValueError(f"The demo needs at least {MIN_AGENTS} agents, not {agents}.")
    if days < 1 or customers < 10:
        raise ValueError("The demo needs at least one day and ten customers.")
    builder = _Builder(
        seed=seed, today=today, agents=agents, days=days, customers=customers, report=report
    )
    with transaction.atomic():
        return builder.run()


def demo_scores_compute(*, date_from: dt.date, date_to: dt.date) -> bool:
    """Compute the scores of the seeded days as the scheduled runs would have; return False
    when scoring is not available.

    Days are recorded final once their SLA deadlines have passed, each final day's alerts are
    judged in order (so the demo has the alerts its history would have raised, those older
    than a week acknowledged by a manager), and ended goals are settled.
    """
    try:
        from scorecards import alerts
        from scorecards.engine.rows import scores_compute
        from scorecards.selectors.versions import days_final_at
        from scorecards.services.goals import goals_settle
    except ImportError:
        return False
    now = timezone.now()
    scores_compute(date_from=date_from, date_to=date_to, employee_ids=None, now=now)
    final_at = days_final_at(date_from=date_from, date_to=date_to)
    ScoreFillState.objects.bulk_create(
        [
            ScoreFillState(day=day, is_final=now >= at, started_at=now, computed_at=now)
            for day, at in final_at.items()
        ],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["is_final", "started_at", "computed_at"],
    )
    for day, at in sorted(final_at.items()):
        if now >= at:
            alerts.alerts_evaluate(day=day)
    _demo_alerts_acknowledge(before=timezone.localdate(now) - dt.timedelta(days=7), now=now)
    goals_settle(now=now)
    return True


def _demo_alerts_acknowledge(*, before: dt.date, now: dt.datetime) -> None:
    """Mark the older alerts seen (and mailed), as a team that reads its alerts would have."""
    manager = Employee.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    Alert.objects.filter(day__lt=before).update(
        acknowledged_at=now,
        acknowledged_by=manager.user if manager is not None else None,
        emailed_at=now,
    )
    Alert.objects.filter(day__gte=before).update(emailed_at=now)
