"""Benchmark settings: the test settings (DEBUG off, no eager tasks) on the `crs_bench` database.

DATABASE_URL, when set, points the benchmarks at another database instead.
"""

import os

from crs_site.settings.test import *  # noqa: F403
from crs_site.settings.test import DATABASES

BENCH_DATABASE_NAME = "crs_bench"

if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = BENCH_DATABASE_NAME
# As in production (the test settings turn the API key memo off).
API_MEMO_SECONDS = 5
# Long statements are the point here: no per-connection reuse surprises between phases.
DATABASES["default"]["CONN_MAX_AGE"] = 0
