"""The demo organisation's shape: its teams, how people work, the shared drawing helpers."""

import datetime as dt
import math
import random
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from staff.models import Employee, Team

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
            *(
                a + (b - a) * share
                for a, b in zip(profile_fields(self), profile_fields(other), strict=True)
            )
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


def profile_fields(profile: Profile) -> tuple[float, ...]:
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

COUNTRY_LANGUAGES = {
    "lv": {"lv": 0.55, "ru": 0.35, "en": 0.1},
    "lt": {"lt": 0.7, "ru": 0.2, "en": 0.1},
    "ee": {"en": 0.65, "ru": 0.35},
}
PHONE_PREFIX = {"lv": "+371 2", "lt": "+370 6", "ee": "+372 5"}
TIERS = {Tier.STANDARD: 60, Tier.SILVER: 22, Tier.GOLD: 13, Tier.PLATINUM: 5}
TIER_POINTS = {
    Tier.STANDARD: (5, 40),
    Tier.SILVER: (40, 120),
    Tier.GOLD: (120, 400),
    Tier.PLATINUM: (400, 1500),
}
CRITERION_SHIFT = {"greeting": 0.4, "courtesy-teamwork": 0.3, "problem-solving": -0.2}


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def weighted_choice(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_database_is_empty() -> bool:
    """Tell whether the database holds no team yet, so demo data may be loaded."""
    return not Team.objects.exists()


def demo_organisation_zone() -> zoneinfo.ZoneInfo:
    """Return the zone whose local days and opening hours the demo data follows."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@dataclass
class Person:
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
class Draft:
    """An interaction as drawn, before anything after the present moment is cut off."""

    person: Person
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


def bulk_create_dated(model, rows: list, field_name: str) -> None:
    """Insert rows keeping the moments set on them in an auto_now_add field.

    bulk_create stamps such a field with the present moment; the demo's history needs the
    moments it drew, so they are put back with one bulk UPDATE.
    """
    stamps = [getattr(row, field_name) for row in rows]
    model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    for row, stamp in zip(rows, stamps, strict=True):
        setattr(row, field_name, stamp)
    model.objects.bulk_update(rows, [field_name], batch_size=1000)


def hour_weights(hours: tuple[int, int]) -> tuple[list[int], list[float]]:
    """Return the opening hours and how busy each is: a morning and an afternoon peak."""
    choices = list(range(*hours))
    weights = [
        1 + 1.2 * math.exp(-(((h - 10.5) / 1.5) ** 2)) + 0.9 * math.exp(-(((h - 14.5) / 1.5) ** 2))
        for h in choices
    ]
    return choices, weights
