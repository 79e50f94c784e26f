"""The demo organisation for `make run`: teams, staff, customers, 90 days of interactions,
surveys, QA reviews and goals, then their scores as the scheduled runs would have computed them.

Every value is drawn from one `random.Random(seed)`, so a seed and an end date give the same rows
on every empty database. Nothing is dated after the present moment: on the real today, what has
not happened yet (a later opening, response, survey answer) is left out or left pending.
"""

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import replace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from integrations.zendesk.demo import zendesk_demo_create
from scorecards.choices import ChangeKind
from scorecards.demo.calibration import demo_calibration_create
from scorecards.demo.feedback import FeedbackDraw
from scorecards.demo.organisation import (
    BATCH_SIZE,
    COUNTRY_LANGUAGES,
    MOVE_DAYS_AGO,
    NEW_HIRE_DAYS_AGO,
    PHONE_PREFIX,
    TEAMS,
    TIER_POINTS,
    TIERS,
    TRAINING_DAYS_AGO,
    Draft,
    Person,
    Profile,
    Report,
    TeamSpec,
    ascii_fold,
    bulk_create_dated,
    clamp,
    demo_organisation_zone,
    hour_weights,
    weighted_choice,
)
from scorecards.demo.people_content import (
    COMPANIES,
    NAMES,
    NOTES,
    SUBJECTS,
)
from scorecards.demo.scorecard import demo_scorecard_create
from scorecards.models import (
    Alert,
    ChangeEvent,
    ScoreFillState,
)
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership


class _Builder(FeedbackDraw):
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
        self.people: list[Person] = []
        self.customers: list[Customer] = []
        self.pools: dict[str, list[Customer]] = {}
        self.drafts: list[Draft] = []
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
        self.criteria = list(
            self.version.qa_criteria.select_related("section").order_by("position")
        )
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
        self.sampling_create()
        self.counts.update(demo_calibration_create(today=self.today, now=self.now, rng=self.rng))
        self.goals_create()
        self.acknowledgements_create()
        self.report(_("Helpdesk connections…"))
        self.zendesk_create()
        for step in _demo_steps:
            self.counts.update(step(today=self.today, now=self.now, rng=self.rng))
        return self.counts

    def zendesk_create(self) -> None:
        """A healthy Zendesk connection whose recorded tickets belong to three current agents."""
        agents = list(
            Employee.objects.filter(role=Role.AGENT, is_active=True, memberships__ends_on=None)
            .select_related("user")
            .order_by("pk")[:3]
        )
        # Anchored on the demo's day, not the clock, so a seed and a day give the same demo.
        connection = zendesk_demo_create(
            agents=agents,
            seed=self.rng.randrange(1 << 30),
            now=dt.datetime.combine(self.today, dt.time(8), tzinfo=demo_organisation_zone()),
        )
        self.counts["zendesk_tickets"] = connection.events.count()

    def user_new(self, *, first: str, last: str, username: str = "", **extra):
        if not username:
            base = f"{ascii_fold(first)}.{ascii_fold(last)}"
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
        counts = self.teams_create()
        rows = self.staff_rows() + self.agent_rows(counts)
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
        self.memberships_create(employees=employees, rows=rows)
        self.employees = employees
        self.counts.update(teams=len(self.teams), employees=len(employees), agents=len(self.people))

    def teams_create(self) -> list[int]:
        """Create the teams; return how many agents each gets, in `TEAMS` order."""
        counts = [max(2, round(self.agents * spec.share)) for spec in TEAMS]
        counts[0] += self.agents - sum(counts)
        for spec in TEAMS:
            self.teams[spec.slug] = Team(
                name=spec.name,
                slug=spec.slug,
                scorecard=self.version.scorecard,
                survey_channels=list(Channel.values),
                survey_rate_percent=60,
                survey_cooldown_days=2,
            )
        Team.objects.bulk_create(self.teams.values())
        return counts

    def staff_rows(self) -> list[tuple]:
        """Return (user, role, hire date, language, team spec or None, skill) of everyone but
        the agents: the administrator, the onboarding lead and one manager per team."""
        rng = self.rng
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
        return rows

    def agent_rows(self, counts: list[int]) -> list[tuple]:
        """Return the agents' rows as `staff_rows`, each team's star and strugglers included."""
        rng = self.rng
        rows: list[tuple] = []
        hires = {"riga-support": 14, "tallinn-sales": 25, "key-accounts": 9}
        for spec, count in zip(TEAMS, counts, strict=True):
            for index in range(count):
                language = weighted_choice(rng, spec.languages)
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
        return rows

    def memberships_create(self, *, employees: list[Employee], rows: list[tuple]) -> None:
        """Put managers and agents in their teams; one agent moved teams 20 days ago."""
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
            self.people.append(Person(employee=employee, skill=skill, spells=spells))
        TeamMembership.objects.bulk_create(memberships)
        for slug, manager in self.managers.items():
            self.teams[slug].managers.add(manager)

    def customers_create(self) -> None:
        rng = self.rng
        customers = []
        for index in range(self.customer_count):
            country = weighted_choice(rng, {"lv": 40, "lt": 35, "ee": 25})
            language = weighted_choice(rng, COUNTRY_LANGUAGES[country])
            tier = weighted_choice(rng, TIERS)
            tradition = "ee" if country == "ee" and language == "en" else language
            first, last = self.name_draw(tradition)
            is_company = tier in (Tier.GOLD, Tier.PLATINUM) or rng.random() < 0.6
            company = rng.choice(COMPANIES[country]) if is_company else ""
            domain = (
                f"{ascii_fold(company).replace(' ', '')}.{country}"
                if company
                else rng.choice(("gmail.com", "inbox.lv", "outlook.com", "mail.ee"))
            )
            customer = Customer(
                name=f"{first} {last}",
                company=company,
                email=f"{ascii_fold(first)}.{ascii_fold(last)}@{domain}",
                phone=f"{PHONE_PREFIX[country]}{rng.randint(0, 9999999):07d}",
                language=language,
                tier=tier,
                value_points=rng.randint(*TIER_POINTS[tier]),
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
        bulk_create_dated(ChangeEvent, events, "created_at")
        self.counts["change_events"] = len(events)

    def profile_on(self, person: Person, spec: TeamSpec, day: dt.date) -> Profile:
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
        peaks = hour_weights
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

    def draft(self, person: Person, spec: TeamSpec, profile: Profile, opened: dt.datetime) -> Draft:
        rng = self.rng
        channel = weighted_choice(rng, spec.channels)
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
        return Draft(
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
