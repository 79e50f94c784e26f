"""Schemathesis strategies for dates and times in the range the API accepts (README: from
2000-01-01 to tomorrow), which JSON Schema cannot state: without them, schema-valid data would
include year 1 and year 9999, which the API rightly refuses.

Loaded by tests/api/test_schemathesis.py and, through schemathesis.toml, by `schemathesis run`.
"""

import datetime as dt

import schemathesis
from hypothesis import strategies as st

_EARLIEST = dt.datetime(2000, 1, 2)
_LATEST = dt.datetime.now() - dt.timedelta(days=1)

schemathesis.openapi.format(
    "date", st.dates(min_value=_EARLIEST.date(), max_value=_LATEST.date()).map(dt.date.isoformat)
)
schemathesis.openapi.format(
    "date-time",
    st.datetimes(min_value=_EARLIEST, max_value=_LATEST).map(
        lambda moment: f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    ),
)


@schemathesis.hook
def filter_query(ctx, query):
    """A period ends on or after its first day: a rule between parameters the schema cannot say."""
    if not query or not isinstance(query.get("date_from"), str):
        return True
    return not isinstance(query.get("date_to"), str) or query["date_from"] <= query["date_to"]
