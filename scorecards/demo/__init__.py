"""Demo data: a believable organisation for `make run`. `builder` draws it, with the shape of
the organisation in `organisation`, the scorecard in `scorecard` and what customers and
reviewers say in `feedback`; the words come from `rules_content`, `criteria_content` and
`people_content`. The benchmarks' large synthetic set is theirs: `bench/dataset.py`."""

from scorecards.demo.builder import demo_scores_compute, demo_seed, demo_step_register
from scorecards.demo.organisation import demo_database_is_empty
from scorecards.demo.people_content import DEMO_LOGINS
from scorecards.demo.scorecard import demo_scorecard_create

__all__ = [
    "DEMO_LOGINS",
    "demo_database_is_empty",
    "demo_scorecard_create",
    "demo_scores_compute",
    "demo_seed",
    "demo_step_register",
]
