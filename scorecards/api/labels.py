"""Who and what a page of score rows names: each row's employee, team and scorecard version.

A score page reads its rows from their own table alone; joined to the employee, user, team,
version and scorecard tables, the page's query took PostgreSQL longer to plan than to run. The
labels come from three process memos (crs_site.lib.memo, API_MEMO_SECONDS), each reading what it
lacks in one query. The CSV export reads the same labels by joining, once for the whole file.
docs/PERFORMANCE.md, "API memos".
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model

from crs_site.lib.memo import ProcessMemo
from scorecards.models import Scorecard, ScorecardVersion
from staff.models import Employee, Team

# What a row needs of each, under the names `values()` gives them through the joins
# (SCORE_ROW_VALUES, EMPLOYEE_SCORE_ROW_VALUES), so the serializer reads one shape.
_EMPLOYEE = {
    "employee__external_id": "external_id",
    "employee__user__username": "user__username",
    "employee__user__first_name": "user__first_name",
    "employee__user__last_name": "user__last_name",
}
_TEAM = {"team__slug": "slug", "team__name": "name"}
_VERSION = {"version__number": "number", "version__scorecard__slug": "scorecard__slug"}

Labels = dict[str, Any]

_employees: ProcessMemo[int, Labels] = ProcessMemo(name="score-row-employees")
_employees.forget_on_change(Employee, get_user_model())
_teams: ProcessMemo[int, Labels] = ProcessMemo(name="score-row-teams")
_teams.forget_on_change(Team)
_versions: ProcessMemo[int, Labels] = ProcessMemo(name="score-row-versions")
_versions.forget_on_change(ScorecardVersion, Scorecard)


def _loader(model, names: dict[str, str]):
    def load(ids: list[int]) -> dict[int, Labels]:
        rows = model.objects.filter(pk__in=ids).values("pk", *names.values())
        return {row["pk"]: {key: row[name] for key, name in names.items()} for row in rows}

    return load


_LOAD_EMPLOYEES = _loader(Employee, _EMPLOYEE)
_LOAD_TEAMS = _loader(Team, _TEAM)
_LOAD_VERSIONS = _loader(ScorecardVersion, _VERSION)


def score_rows_labelled(rows: Iterable[dict], *, now: dt.datetime) -> list[dict]:
    """Return the rows (`values()` of their own columns, with `team_id`, `version_id` and, for
    an employee's row, `employee_id`) with their labels added, in order; a row whose employee,
    team or version is gone meanwhile is left out, as a join would leave it."""
    rows = list(rows)
    teams = _teams.get_many({row["team_id"] for row in rows}, now=now, load=_LOAD_TEAMS)
    versions = _versions.get_many({row["version_id"] for row in rows}, now=now, load=_LOAD_VERSIONS)
    employee_ids = {row["employee_id"] for row in rows if "employee_id" in row}
    employees = (
        _employees.get_many(employee_ids, now=now, load=_LOAD_EMPLOYEES) if employee_ids else {}
    )
    labelled = []
    for row in rows:
        team, version = teams.get(row["team_id"]), versions.get(row["version_id"])
        employee = employees.get(row["employee_id"]) if "employee_id" in row else {}
        if team is None or version is None or employee is None:
            continue
        labelled.append({**row, **team, **version, **employee})
    return labelled
