"""The metric catalogue: every fact about a metric code, in one entry per code.

The engine, the scoring maths, the pages, the CSV exports, the goal and editor forms and the
rules page all read a metric's label, factor, direction, unit, value range, wording and display
format from here, so adding a metric is one entry (and the steps in docs/CONTRIBUTING.md,
"Adding a metric"). The codes and their full names are `scorecards.choices.MetricCode`, which
the model fields need as choices; this module adds everything else.

Nothing here reads settings or the database at import time: the labels are lazy, so
`scorecards.scoring` (pure maths) takes its factors and directions from here too.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from types import MappingProxyType

from django.template.defaultfilters import floatformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crs_site.lib.quantities import in_words
from scorecards.choices import MetricCode

_PERCENT = Decimal(100)
_ONE = Decimal(1)


class Family(Enum):
    """What a metric's num and den are, for the change-impact test (scorecards.significance)."""

    PROPORTION = "proportion"
    BOUNDED_MEAN = "bounded_mean"
    WAITING_TIME = "waiting_time"
    COUNT = "count"


@dataclass(frozen=True)
class Unit:
    """How a metric's value is written: a short symbol for tables, words for sentences.

    `words` names the unit in `crs_site.lib.quantities` (the one place units take their plural
    forms); None means the symbol reads well in a sentence too (a percentage).
    """

    symbol: Promise | str
    words: str | None = None


PERCENT = Unit(symbol="%")
MINUTES = Unit(symbol=pgettext_lazy("unit symbol", "min"), words="minutes")
HOURS = Unit(symbol=pgettext_lazy("unit symbol", "h"), words="hours")
POINTS = Unit(symbol=pgettext_lazy("unit symbol", "pts"), words="points")
PER_DAY = Unit(symbol=pgettext_lazy("unit symbol", "a day"), words="interactions_a_day")


@dataclass(frozen=True)
class MetricSpec:
    """One metric code's facts (docs/SCORING.md explains each metric in a user's words)."""

    code: str
    short_label: Promise
    # value = num / den x factor: 100 makes a share a percentage.
    factor: Decimal
    higher_is_better: bool
    unit: Unit
    # The values the metric can take, None for no bound: targets, floors and goals stay inside.
    value_min: Decimal | None
    value_max: Decimal | None
    # How a day's work becomes num and den, in the words a new hire reads on the rules page.
    computation: Promise
    # The change-impact test: the family, and the lowest and highest value one observation
    # (one case's num over its den of 1) can take.
    family: Family
    observation_range: tuple[float, float]
    # Decimal places a value is shown with on pages (CSV and API carry two).
    places: int = 1

    @property
    def label(self) -> str:
        """Return the metric's full name in the active language."""
        return str(MetricCode(self.code).label)

    @property
    def is_percentage(self) -> bool:
        """Tell whether the value is a share of the day's cases: one case gives 0 or 100."""
        return self.factor == _PERCENT

    @property
    def direction(self) -> str:
        """Return "higher is better" or "lower is better" in the active language."""
        return str(_("higher is better") if self.higher_is_better else _("lower is better"))

    def number(self, value: Decimal, places: int | str | None = None) -> str:
        """Return the value as a number in the active language's format."""
        return floatformat(value, self.places if places is None else places)

    def format(self, value: Decimal | None, places: int | str | None = None) -> str:
        """Return the value with its unit symbol, as a table shows it ("" for no value)."""
        if value is None:
            return ""
        return f"{self.number(value, places)}\u00a0{self.unit.symbol}"

    def quantity(self, value: Decimal, places: int | str | None = None) -> str:
        """Return the value with its unit in words, as a sentence reads it: "4.5 minutes"."""
        if self.unit.words is None:
            return self.format(value, places)
        return in_words(self.unit.words, value, self.number(value, places))

    def in_range(self, value: Decimal) -> bool:
        """Tell whether the metric can take the value."""
        low, high = self.value_min, self.value_max
        return (low is None or value >= low) and (high is None or value <= high)


_ENTRIES = (
    MetricSpec(
        code=MetricCode.RESPONSE_SLA,
        short_label=pgettext_lazy("metric short label", "SLA"),
        factor=_PERCENT,
        higher_is_better=True,
        unit=PERCENT,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_(
            "Of the interactions opened that day that are already answered or whose SLA "
            "deadline has passed, the share answered within the SLA."
        ),
        family=Family.PROPORTION,
        observation_range=(0.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.FIRST_RESPONSE_MINUTES,
        short_label=pgettext_lazy("metric short label", "First response"),
        factor=_ONE,
        higher_is_better=False,
        unit=MINUTES,
        value_min=Decimal(0),
        value_max=None,
        computation=_(
            "For the interactions opened that day and answered, the minutes from opening to "
            "the first response, added up and divided by their number."
        ),
        family=Family.WAITING_TIME,
        observation_range=(0.0, math.inf),
    ),
    MetricSpec(
        code=MetricCode.FCR,
        short_label=pgettext_lazy("metric short label", "FCR"),
        factor=_PERCENT,
        higher_is_better=True,
        unit=PERCENT,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_(
            "Of the interactions resolved that day, the share resolved on the first contact."
        ),
        family=Family.PROPORTION,
        observation_range=(0.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.RESOLUTION_HOURS,
        short_label=pgettext_lazy("metric short label", "Resolution"),
        factor=_ONE,
        higher_is_better=False,
        unit=HOURS,
        value_min=Decimal(0),
        value_max=None,
        computation=_(
            "For the interactions resolved that day, the hours from opening to resolution, "
            "added up and divided by their number."
        ),
        family=Family.WAITING_TIME,
        observation_range=(0.0, math.inf),
    ),
    MetricSpec(
        code=MetricCode.FOLLOW_UP,
        short_label=pgettext_lazy("metric short label", "Follow-ups"),
        factor=_PERCENT,
        higher_is_better=True,
        unit=PERCENT,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_(
            "Of the follow-ups due that day, the share done by the end of their due day."
        ),
        family=Family.PROPORTION,
        observation_range=(0.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.ESCALATION,
        short_label=pgettext_lazy("metric short label", "Escalations"),
        factor=_PERCENT,
        higher_is_better=False,
        unit=PERCENT,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_("Of the interactions resolved that day, the share escalated."),
        family=Family.PROPORTION,
        observation_range=(0.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.CSAT,
        short_label=pgettext_lazy("metric short label", "CSAT"),
        factor=_PERCENT,
        higher_is_better=True,
        unit=PERCENT,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_(
            "Of the customer survey answers submitted that day, the share rating 4 or 5 out of 5."
        ),
        family=Family.PROPORTION,
        observation_range=(0.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.NPS,
        short_label=pgettext_lazy("metric short label", "NPS"),
        factor=_PERCENT,
        higher_is_better=True,
        unit=POINTS,
        value_min=Decimal(-100),
        value_max=Decimal(100),
        computation=_(
            "Of the survey answers with a 0–10 recommendation submitted that day: promoters "
            "(9–10) minus detractors (0–6), as a percentage of those answers."
        ),
        family=Family.BOUNDED_MEAN,
        observation_range=(-1.0, 1.0),
    ),
    MetricSpec(
        code=MetricCode.QA,
        short_label=pgettext_lazy("metric short label", "QA"),
        factor=_ONE,
        higher_is_better=True,
        unit=POINTS,
        value_min=Decimal(0),
        value_max=Decimal(100),
        computation=_("The mean total (0–100) of the QA reviews published that day."),
        family=Family.BOUNDED_MEAN,
        observation_range=(0.0, 100.0),
    ),
    MetricSpec(
        code=MetricCode.VOLUME,
        short_label=pgettext_lazy("metric short label", "Volume"),
        factor=_ONE,
        higher_is_better=True,
        unit=PER_DAY,
        value_min=Decimal(0),
        value_max=None,
        computation=_("The number of interactions resolved that day."),
        family=Family.COUNT,
        observation_range=(0.0, math.inf),
    ),
)

# Keyed by the plain string, so a code read from a row or a request finds its entry.
CATALOGUE: Mapping[str, MetricSpec] = MappingProxyType({str(spec.code): spec for spec in _ENTRIES})
# The scoring maths' view of the catalogue (scorecards.scoring re-exports both).
FACTOR: Mapping[str, Decimal] = MappingProxyType(
    {code: spec.factor for code, spec in CATALOGUE.items()}
)
HIGHER_IS_BETTER: Mapping[str, bool] = MappingProxyType(
    {code: spec.higher_is_better for code, spec in CATALOGUE.items()}
)
PERCENTAGE_METRICS = frozenset(code for code, spec in CATALOGUE.items() if spec.is_percentage)


def metric(code: str) -> MetricSpec:
    """Return a code's entry; KeyError for a code the catalogue does not know."""
    return CATALOGUE[code]


def metrics(codes: Iterable[str] | None = None) -> list[MetricSpec]:
    """Return the entries for the codes (every entry, in catalogue order, without codes)."""
    if codes is None:
        return list(_ENTRIES)
    return [CATALOGUE[code] for code in codes]
