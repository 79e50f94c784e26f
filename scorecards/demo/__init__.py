"""Demo data: a believable organisation for `make run` (`builder`, speaking the words of
`content`). The benchmarks' large synthetic set is theirs: `bench/dataset.py`."""

from scorecards.demo.builder import (
    demo_database_is_empty,
    demo_scorecard_create,
    demo_scores_compute,
    demo_seed,
    demo_step_register,
)
from scorecards.demo.content import DEMO_LOGINS

__all__ = [
    "DEMO_LOGINS",
    "demo_database_is_empty",
    "demo_scorecard_create",
    "demo_scores_compute",
    "demo_seed",
    "demo_step_register",
]
