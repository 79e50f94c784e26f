"""Demo data: a believable organisation for `make run` (`builder`, speaking the words of
`content`), and large synthetic sets for benchmarks (`scale`)."""

from scorecards.demo.builder import (
    demo_database_is_empty,
    demo_scorecard_create,
    demo_scores_compute,
    demo_seed,
)
from scorecards.demo.content import DEMO_LOGINS
from scorecards.demo.scale import demo_seed_scale

__all__ = [
    "DEMO_LOGINS",
    "demo_database_is_empty",
    "demo_scorecard_create",
    "demo_scores_compute",
    "demo_seed",
    "demo_seed_scale",
]
