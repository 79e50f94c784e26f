import csv
import datetime as dt
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from crs_site.db_router import REPLICA_MODELS, ReplicaRouter, _reads_from_replica
from crs_site.lib.spreadsheet import csv_cell
from scorecards.api.renderers import PreEncoded, PreEncodedJSONRenderer, flatten
from scorecards.api.serializers import row_metrics
from scorecards.choices import MetricCode
from scorecards.engine.rows import scores_compute
from scorecards.models import EmployeeDailyScore, TeamDailyScore
from scorecards.selectors.stats import METRIC_CODES
from tests.api.conftest import DAY
from tests.api.score_rows_scenario import scenario_documents
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamDailyScoreFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.on_sqlite import run_on_sqlite

SUMMARY = "/api/v1/scores/summary/"


def _csv(response):
    return list(csv.DictReader(io.StringIO(_text(response))))


def _text(response) -> str:
    # The score lists stream their CSV; the summary sends it whole.
    return response.getvalue().decode()


def test_daily_rows_carry_every_metrics_figures(client_for, world):
    rows = client_for().get("/api/v1/scores/employees/", {"team": "north"}).json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["subject"]["id"] == world["agents"]["north"].pk
    assert (row["date"], row["version"], row["total"], row["band"]) == (
        DAY.isoformat(),
        world["version"].number,
        70.0,
        "amber",
    )
    assert row["metrics"]["fcr"] == {"value": 70.0, "score": 75.0, "num": 7.0, "den": 10.0}
    assert row["metrics"]["csat"] == {"value": None, "score": None, "num": 0.0, "den": 0.0}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": DAY.isoformat(), "date_to": DAY.isoformat()}, 2),
        ({"date_from": (DAY + dt.timedelta(days=1)).isoformat()}, 0),
        ({"band": "amber"}, 2),
        ({"band": "green"}, 0),
        ({"team": "south"}, 1),
    ],
)
def test_filters(client_for, world, params, expected):
    response = client_for().get("/api/v1/scores/employees/", params)
    assert len(response.json()["results"]) == expected


def test_employee_filter(client_for, world):
    agent = world["agents"]["south"]
    rows = client_for().get("/api/v1/scores/employees/", {"employee": agent.pk}).json()["results"]
    assert [row["subject"]["id"] for row in rows] == [agent.pk]


def test_long_ranges_are_paged_by_cursor_in_date_order(client_for, world):
    agent = world["agents"]["north"]
    for offset in range(1, 6):
        EmployeeDailyScoreFactory(
            employee=agent,
            team=world["teams"]["north"],
            version=world["version"],
            day=DAY + dt.timedelta(days=offset),
        )
    client = client_for()
    response = client.get("/api/v1/scores/employees/", {"employee": agent.pk, "page_size": 4})
    first = response.json()
    assert [row["date"] for row in first["results"]] == [
        (DAY + dt.timedelta(days=n)).isoformat() for n in range(4)
    ]
    assert response["Link"].startswith(f"<{first['next']}>")
    second = client.get(first["next"]).json()
    assert [row["date"] for row in second["results"]] == [
        (DAY + dt.timedelta(days=n)).isoformat() for n in (4, 5)
    ]
    assert second["next"] is None


def _walk(client, url, params=None, *, link="next"):
    """Follow a link from page to page; return each page's (date, subject id) pairs."""
    pages = []
    response = client.get(url, params)
    while True:
        page = response.json()
        pages.append([(row["date"], row["subject"]["id"]) for row in page["results"]])
        if not page[link]:
            return pages, page
        response = client.get(page[link])


def test_cursor_pages_walk_every_row_once_forwards_and_back(client_for, world):
    """Five people a day over four days, pages of three: pages end in the middle of a day."""
    agents = [world["agents"]["north"], *EmployeeFactory.create_batch(4)]
    for day in (DAY + dt.timedelta(days=n) for n in range(1, 5)):
        for agent in agents:
            EmployeeDailyScoreFactory(
                employee=agent, team=world["teams"]["north"], version=world["version"], day=day
            )
    client = client_for()
    every_row = [
        (row["date"], row["subject"]["id"])
        for row in client.get("/api/v1/scores/employees/").json()["results"]
    ]
    assert len(every_row) == 22
    assert every_row == sorted(every_row, key=lambda row: row[0])

    forwards, last = _walk(client, "/api/v1/scores/employees/", {"page_size": 3})
    assert [len(page) for page in forwards] == [3] * 7 + [1]
    assert [row for page in forwards for row in page] == every_row
    assert last["previous"]

    backwards, first = _walk(client, last["previous"], link="previous")
    assert backwards == forwards[-2::-1]
    assert first["previous"] is None
    # Turning round again leads on from the first page, not back to it.
    assert client.get(first["next"]).json()["results"][0]["date"] == forwards[1][0][0]


def test_a_filtered_range_pages_within_the_filter(client_for, world):
    for offset in range(1, 4):
        for name in ("north", "south"):
            EmployeeDailyScoreFactory(
                employee=world["agents"][name],
                team=world["teams"][name],
                version=world["version"],
                day=DAY + dt.timedelta(days=offset),
            )
    params = {"team": "south", "page_size": 2}
    pages, _ = _walk(client_for(), "/api/v1/scores/employees/", params)
    south = world["agents"]["south"].pk
    assert [row for page in pages for row in page] == [
        ((DAY + dt.timedelta(days=n)).isoformat(), south) for n in range(4)
    ]


@pytest.mark.parametrize(
    "cursor",
    [
        "bm90IGEgY3Vyc29y",  # "not a cursor"
        "cD0yMDI2LTAzLTAy",  # p=2026-03-02: a position without its id
        "cD14LjE=",  # p=x.1
        "cD0yMDI2LTAzLTAyLjk5OTk5OTk5OTk5OTk5OTk5OTk5",  # an id past bigint
        "cD0yMDI2LTAzLTAyLi0x",  # p=2026-03-02.-1
        "%%%",
    ],
)
def test_a_cursor_that_does_not_decode_is_a_json_404(client_for, world, cursor):
    response = client_for().get(f"/api/v1/scores/employees/?cursor={cursor}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_csv_has_one_column_per_figure(client_for, world):
    response = client_for().get("/api/v1/scores/employees/", {"format": "csv", "team": "north"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    (row,) = _csv(response)
    assert row["subject.name"] == world["agents"]["north"].full_name
    assert row["metrics.fcr.score"] == "75"
    assert row["metrics.csat.value"] == ""


def test_csv_neutralises_spreadsheet_formulas(client_for, world):
    user = world["agents"]["north"].user
    user.first_name, user.last_name = '=HYPERLINK("http://evil")', "x"
    user.save()
    response = client_for().get("/api/v1/scores/employees/", {"format": "csv", "team": "north"})
    (row,) = _csv(response)
    assert row["subject.name"].startswith("'=HYPERLINK")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_escaped(text):
    assert csv_cell(text) == "'" + text


def test_numbers_are_not_escaped():
    assert csv_cell(Decimal("-3.5")) == "-3.5"
    assert csv_cell(None) == ""


def _long_range(world, *, days: int) -> None:
    """Score both agents and both teams on each of `days` days after DAY (bulk, for speed)."""
    later = [DAY + dt.timedelta(days=offset) for offset in range(1, days + 1)]
    EmployeeDailyScore.objects.bulk_create(
        EmployeeDailyScoreFactory.build(
            employee=world["agents"][name],
            team=world["teams"][name],
            version=world["version"],
            day=day,
            band="green" if day.day == 1 else "amber",
        )
        for day in later
        for name in ("north", "south")
    )
    TeamDailyScore.objects.bulk_create(
        TeamDailyScoreFactory.build(team=world["teams"][name], version=world["version"], day=day)
        for day in later
        for name in ("north", "south")
    )


@pytest.mark.parametrize(
    ("path", "model"),
    [("/api/v1/scores/employees/", EmployeeDailyScore), ("/api/v1/scores/teams/", TeamDailyScore)],
)
def test_csv_holds_every_row_of_a_range_longer_than_a_page(client_for, world, path, model):
    _long_range(world, days=300)  # 602 rows: more than a page of 500.

    response = client_for().get(path, {"format": "csv"})

    assert response.status_code == 200
    assert response.streaming
    assert "Link" not in response
    text = _text(response)
    assert text.count("subject.name") == 1
    ids = [int(row["id"]) for row in csv.DictReader(io.StringIO(text))]
    assert ids == list(model.objects.order_by("day", "id").values_list("id", flat=True))
    assert len(ids) == 602


def test_csv_export_reads_the_range_in_chunks_of_bounded_size(
    client_for, world, monkeypatch, django_assert_num_queries
):
    _long_range(world, days=10)
    # Chunks of 3 rows end in the middle of a day (two rows a day): 22 rows in 8 chunks.
    monkeypatch.setattr("scorecards.api.export.CHUNK_ROWS", 3)
    client = client_for()

    # The key (with whether it names teams), its first use, and one query per chunk.
    with django_assert_num_queries(2 + 8):
        rows = _csv(client.get("/api/v1/scores/employees/", {"format": "csv"}))

    expected = EmployeeDailyScore.objects.order_by("day", "id").values_list("id", flat=True)
    assert [int(row["id"]) for row in rows] == list(expected)


def test_csv_has_the_columns_of_a_json_row_in_their_order(client_for, world):
    client = client_for()
    json_row = client.get("/api/v1/scores/employees/").json()["results"][0]
    response = client.get("/api/v1/scores/employees/", {"format": "csv"})
    header = next(csv.reader(io.StringIO(_text(response))))
    assert header == list(flatten(json_row))


def test_an_empty_csv_range_is_the_header_alone(client_for, world):
    params = {"format": "csv", "date_from": (DAY + dt.timedelta(days=1)).isoformat()}
    response = client_for().get("/api/v1/scores/employees/", params)
    lines = _text(response).splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("id,subject.type,")


def test_csv_keeps_the_filters(client_for, world):
    _long_range(world, days=40)
    params = {"format": "csv", "team": "south", "band": "green", "date_to": "2026-04-30"}
    rows = _csv(client_for().get("/api/v1/scores/employees/", params))
    # The first of April is the only green south day up to the end of April.
    assert [(row["team"], row["date"], row["band"]) for row in rows] == [
        ("south", "2026-04-01", "green")
    ]


def test_a_bad_filter_refuses_the_csv_before_streaming(client_for, world):
    params = {"format": "csv", "date_from": "not a date"}
    response = client_for().get("/api/v1/scores/employees/", params)
    assert response.status_code == 400
    assert not response.streaming


@pytest.mark.parametrize("path", ["/api/v1/scores/employees/", "/api/v1/scores/teams/"])
def test_a_team_restricted_key_exports_only_its_teams(client_for, world, path):
    _long_range(world, days=5)
    client = client_for(teams=[world["teams"]["north"]])
    rows = _csv(client.get(path, {"format": "csv"}))
    assert len(rows) == 6
    assert {row["team"] for row in rows} == {"north"}


def test_the_csv_reads_its_rows_where_the_request_was_routed(client_for, world, monkeypatch):
    """The rows are read while the response streams, after the middleware that routes a GET's
    reads (to the replica) has returned: they still come from the database it chose."""

    def db_for_read(self, model, **hints):
        if model._meta.label_lower not in REPLICA_MODELS:
            return None
        return "default" if _reads_from_replica.get() else "an-alias-that-does-not-exist"

    client = client_for()
    monkeypatch.setattr(ReplicaRouter, "db_for_read", db_for_read)

    rows = _csv(client.get("/api/v1/scores/employees/", {"format": "csv"}))

    assert len(rows) == 2


def test_summary_is_pooled_not_averaged(client_for, world):
    """Day 1: 1 of 1 resolved on first contact (100%); day 2: 1 of 9 (11%).

    Averaging the days' values would give 55.6%; pooling gives 2 of 10 = 20%.
    """
    agent, team, version = world["agents"]["north"], world["teams"]["north"], world["version"]
    for offset, (num, den) in ((1, (1, 1)), (2, (1, 9))):
        EmployeeDailyScoreFactory(
            employee=agent,
            team=team,
            version=version,
            day=DAY + dt.timedelta(days=offset),
            fcr_num=Decimal(num),
            fcr_den=Decimal(den),
        )
    params = {
        "date_from": (DAY + dt.timedelta(days=1)).isoformat(),
        "date_to": (DAY + dt.timedelta(days=2)).isoformat(),
    }
    rows = client_for().get(SUMMARY, params).json()
    (row,) = [r for r in rows if r["subject"]["id"] == agent.pk]
    assert row["days"] == 2
    assert row["metrics"]["fcr"]["num"] == 2.0
    assert row["metrics"]["fcr"]["den"] == 10.0
    assert row["metrics"]["fcr"]["value"] == pytest.approx(20.0)
    # 20% is below the floor of 40%: score 0, and fcr is the only metric with data.
    assert row["total"] == 0.0
    assert row["band"] == "red"


def test_summary_uses_the_version_in_force_on_the_last_day(client_for, world):
    scorecard = world["version"].scorecard
    later = PublishedVersionFactory(
        scorecard=scorecard,
        effective_from=DAY + dt.timedelta(days=10),
        metrics=[{"code": MetricCode.FCR, "target": Decimal("70"), "floor": Decimal("20")}],
    )
    before = client_for().get(SUMMARY, {"date_from": DAY, "date_to": DAY}).json()
    after = (
        client_for().get(SUMMARY, {"date_from": DAY, "date_to": DAY + dt.timedelta(days=10)}).json()
    )
    assert {r["version"] for r in before} == {world["version"].number}
    assert {r["version"] for r in after} == {later.number}
    # 70% against target 70 / floor 20 scores 100.
    assert {r["total"] for r in after} == {100.0}


def test_summary_pools_an_employee_across_teams(client_for, world):
    mover = EmployeeFactory()
    TeamMembershipFactory(employee=mover, team=world["teams"]["south"])
    for offset, team in ((0, "north"), (1, "south")):
        EmployeeDailyScoreFactory(
            employee=mover,
            team=world["teams"][team],
            version=world["version"],
            day=DAY + dt.timedelta(days=offset),
            fcr_num=Decimal(1),
            fcr_den=Decimal(2),
        )
    rows = (
        client_for().get(SUMMARY, {"date_from": DAY, "date_to": DAY + dt.timedelta(days=1)}).json()
    )
    (row,) = [r for r in rows if r["subject"]["id"] == mover.pk]
    assert (row["team"], row["days"], row["metrics"]["fcr"]["den"]) == ("south", 2, 4.0)


def test_team_summary_groups_by_team(client_for, world):
    rows = client_for().get(SUMMARY, {"group_by": "team", "date_from": DAY, "date_to": DAY})
    assert {r["subject"]["name"] for r in rows.json()} == {"North", "South"}


def test_summary_as_csv(client_for, world):
    response = client_for().get(SUMMARY, {"format": "csv", "date_from": DAY, "date_to": DAY})
    assert {row["team"] for row in _csv(response)} == {"north", "south"}


def test_summary_refuses_a_reversed_range(client_for, world):
    response = client_for().get(SUMMARY, {"date_from": DAY, "date_to": DAY - dt.timedelta(1)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date_to"


def test_score_list_queries_do_not_grow_with_rows(client_for, world, django_assert_num_queries):
    client = client_for()
    for offset in range(1, 30):
        EmployeeDailyScoreFactory(
            employee=world["agents"]["north"],
            team=world["teams"]["north"],
            version=world["version"],
            day=DAY + dt.timedelta(days=offset),
        )
    # The key (for every team: no query for its teams), its first use, the page's rows, and
    # their teams, versions and employees (the test settings keep no memo).
    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/scores/employees/").json()["results"]) == 31


def test_a_page_read_again_takes_its_key_and_labels_from_the_memos(
    client_for, world, settings, django_assert_num_queries
):
    settings.API_MEMO_SECONDS = 5
    client = client_for()
    first = client.get("/api/v1/scores/employees/").content
    with django_assert_num_queries(1):
        # The rows alone: the key, its use this minute and every label were read a moment ago.
        assert client.get("/api/v1/scores/employees/").content == first


def test_a_renamed_employee_or_team_reads_right_at_once_in_the_process_that_saved_it(
    client_for, world, settings
):
    settings.API_MEMO_SECONDS = 5
    client = client_for()
    client.get("/api/v1/scores/employees/")
    agent = world["agents"]["north"]
    agent.user.first_name, agent.user.last_name = "Renāte", "Jauna"
    agent.user.save()
    team = world["teams"]["north"]
    team.slug = "north-renamed"
    team.save()

    rows = client.get("/api/v1/scores/employees/", {"employee": agent.pk}).json()["results"]

    assert rows[0]["subject"]["name"] == "Renāte Jauna"
    assert rows[0]["team"] == "north-renamed"


def test_a_name_changed_by_another_process_reads_right_once_the_memo_lapses(
    client_for, world, settings, time_machine
):
    settings.API_MEMO_SECONDS = 5
    time_machine.move_to(timezone.now(), tick=False)
    client = client_for()
    client.get("/api/v1/scores/employees/")
    agent = world["agents"]["north"]
    # As another process saves it: no signal reaches this one.
    type(agent.user).objects.filter(pk=agent.user_id).update(first_name="Other", last_name="")

    def name():
        rows = client.get("/api/v1/scores/employees/", {"employee": agent.pk}).json()["results"]
        return rows[0]["subject"]["name"]

    time_machine.shift(dt.timedelta(seconds=4))
    assert name() != "Other"
    time_machine.shift(dt.timedelta(seconds=1))
    assert name() == "Other"


def test_rows_keep_quotes_and_backslashes_in_names(client_for, world):
    agent = world["agents"]["north"]
    agent.user.first_name = 'Zoë "Z"'
    agent.user.last_name = "O'Brien \\ Ž"
    agent.user.save()
    agent.external_id = 'E-"1"'
    agent.save()
    world["teams"]["south"].name = 'South \\ "Ост"\t'
    world["teams"]["south"].save()
    client = client_for()

    people = client.get("/api/v1/scores/employees/", {"team": "north"}).json()["results"]
    teams = client.get("/api/v1/scores/teams/", {"team": "south"}).json()["results"]

    assert people[0]["subject"] == {
        "type": "employee",
        "id": agent.pk,
        "name": 'Zoë "Z" O\'Brien \\ Ž',
        "external_id": 'E-"1"',
    }
    assert teams[0]["subject"]["name"] == 'South \\ "Ост"\t'


@pytest.mark.parametrize("path", ["/api/v1/scores/employees/", "/api/v1/scores/teams/"])
def test_rows_the_engine_wrote_carry_every_metric_as_json_numbers(client_for, db, path):
    version = PublishedVersionFactory(
        effective_from=DAY - dt.timedelta(days=30),
        sla_minutes=60,
        metrics=[
            {"code": code, "target": Decimal("80"), "floor": Decimal("40")}
            for code in (MetricCode.FCR, MetricCode.FIRST_RESPONSE_MINUTES, MetricCode.CSAT)
        ],
    )
    team = TeamFactory(scorecard=version.scorecard)
    agent = EmployeeFactory()
    TeamMembershipFactory(employee=agent, team=team, starts_on=DAY - dt.timedelta(days=30))
    opened = dt.datetime.combine(DAY, dt.time(9), tzinfo=dt.UTC)
    for minutes in (7, 13, 200):
        InteractionFactory(
            employee=agent,
            opened_at=opened,
            first_response_at=opened + dt.timedelta(minutes=minutes, seconds=17),
            resolved_at=opened + dt.timedelta(hours=2),
            is_first_contact_resolution=minutes < 100,
        )
    scores_compute(date_from=DAY - dt.timedelta(days=1), date_to=DAY)

    response = client_for().get(path)

    rows = response.json()["results"]
    assert len(rows) == 2
    assert list(rows[1]["metrics"]) == list(MetricCode.values)
    assert rows[1]["metrics"]["fcr"] == {"value": 66.67, "score": 66.67, "num": 2.0, "den": 3.0}
    # Minutes are stored to four places; the figure is the stored column, as a number.
    assert rows[1]["metrics"]["first_response_minutes"]["num"] == 220.85
    assert rows[1]["metrics"]["qa"] == {"value": None, "score": None, "num": 0.0, "den": 0.0}
    assert b'"fcr":{"value":66.67,"score":66.67,"num":2.0,"den":3.0}' in response.content


def test_the_fast_path_sends_what_the_plain_path_builds(client_for, world):
    # The page as served (each row's stored text written in place) against DRF's own encoding
    # of the same page with every row's figures decoded: the same bytes.
    from rest_framework.renderers import JSONRenderer

    response = client_for().get("/api/v1/scores/employees/")
    document = response.json()
    assert document["results"]
    stored = {
        row.pk: row.api_metrics
        for row in EmployeeDailyScore.objects.filter(
            pk__in=[row["id"] for row in document["results"]]
        )
    }
    # Every row the engine or the factories wrote takes the fast path.
    assert all(isinstance(row_metrics(text), PreEncoded) for text in stored.values())

    assert JSONRenderer().render(document) == response.content
    assert [row["metrics"] for row in document["results"]] == [
        json.loads(stored[row["id"]]) for row in document["results"]
    ]


@pytest.mark.parametrize(
    "value",
    [
        'Zoë "Z" O\'Brien \\ Ž\t\u2028\u2029 Ост',
        Decimal("68.25"),
        dt.datetime(2026, 3, 3, 2, 0, 0, 123456, tzinfo=dt.UTC),
        dt.date(2026, 3, 2),
        uuid.UUID(int=7),
        2**70,  # past what orjson writes: the plain path
        # Totals are cents from 0 to 100; ids and counts are integers.
        [0.01, 68.25, 100.0, None, True, 0, 123456789],
    ],
)
@pytest.mark.parametrize("accept", ["application/json", "application/json; indent=2"])
def test_the_renderer_writes_what_drf_writes(value, accept):
    # orjson with the stored figures in place against DRF's renderer over the decoded document:
    # the same bytes, whatever else a page holds, indented or not.
    from rest_framework.renderers import JSONRenderer

    figures = {"fcr": {"value": 66.67, "score": None, "num": 2.0, "den": 3.0}}
    text = json.dumps(figures, separators=(",", ":"))  # compact, as the engine writes it
    document = {"next": None, "results": [{"name": value, "metrics": PreEncoded(text)}]}
    plain = {"next": None, "results": [{"name": value, "metrics": json.loads(text)}]}

    served = PreEncodedJSONRenderer().render(document, accept)

    assert served == JSONRenderer().render(plain, accept)


def test_the_renderer_writes_other_floats_as_the_same_numbers():
    # Past the cents of a total, orjson writes an exponent without Python's padding (1e-7, not
    # 1e-07): another spelling of the same JSON number.
    from rest_framework.renderers import JSONRenderer

    document = {"results": [1e-7, 1e16, 1 / 3]}

    served = PreEncodedJSONRenderer().render(document)

    assert json.loads(served) == json.loads(JSONRenderer().render(document)) == document


def test_a_row_with_a_metric_unknown_to_the_catalogue_takes_the_plain_path():
    figures = {code: {"value": 1.0, "score": 2.0, "num": 3.0, "den": 4.0} for code in METRIC_CODES}
    figures["retired"] = {"value": 1.0, "score": 2.0, "num": 3.0, "den": 4.0}
    del figures[METRIC_CODES[0]]

    metrics = row_metrics(json.dumps(figures, separators=(",", ":")))

    assert list(metrics) == list(METRIC_CODES)
    assert metrics[METRIC_CODES[0]] == {"value": None, "score": None, "num": 0.0, "den": 0.0}


def test_a_metric_added_after_a_row_was_computed_reads_as_not_computed(client_for, world):
    # As if `qa` had joined the catalogue after the rows were computed: no figures stored for it.
    row = EmployeeDailyScore.objects.get(employee=world["agents"]["north"])
    figures = row.metrics
    del figures["qa"]
    row.api_metrics = json.dumps(figures)
    row.save(update_fields=["api_metrics"])

    rows = client_for().get("/api/v1/scores/employees/", {"team": "north"}).json()["results"]

    assert rows[0]["metrics"]["qa"] == {"value": None, "score": None, "num": 0.0, "den": 0.0}
    assert rows[0]["metrics"]["fcr"]["value"] == 70.0


def test_sqlite_and_postgresql_serve_the_same_documents(db, tmp_path):
    # The same organisation scored and read on a fresh SQLite database in a process of its own
    # (the embedded database of `make run`) and here on PostgreSQL: one document, byte for byte.
    on_sqlite = run_on_sqlite("tests.api.score_rows_scenario", tmp_path)

    on_postgresql = scenario_documents()

    assert connection.vendor == "postgresql"
    assert len(on_postgresql["/api/v1/scores/employees/"]) == 12
    assert len(on_postgresql["/api/v1/scores/teams/"]) == 3
    assert json.dumps(on_sqlite) == json.dumps(on_postgresql)
