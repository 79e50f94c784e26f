"""The read endpoints of QA, coaching and survey answers: rows, visibility, filters, pages,
files and query counts."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from feedback import qa_services
from feedback.choices import DisputeOutcome, ReviewReason, ReviewStatus
from staff.choices import ApiScope, Role
from tests.factories import (
    CalibrationSessionFactory,
    CoachingActionFactory,
    CoachingSessionFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    QARatingFactory,
    QAReviewFactory,
    SurveyResponseFactory,
)

REVIEWS = "/api/v1/qa/reviews/"
SESSIONS = "/api/v1/coaching/sessions/"
SURVEYS = "/api/v1/feedback/surveys/"
CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 2, "position": 2},
]


def _session(user):
    client = APIClient()
    client.force_login(user)
    return client


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _csv(response) -> list[dict]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


@pytest.fixture
def north_manager(world):
    manager = EmployeeFactory(role=Role.MANAGER)
    world["teams"]["north"].managers.add(manager)
    return manager


@pytest.fixture
def version(world):
    # The teams' scorecard gets a version with two criteria, in force from today.
    return PublishedVersionFactory(
        scorecard=world["version"].scorecard,
        effective_from=timezone.localdate() - dt.timedelta(days=30),
        criteria=CRITERIA,
    )


def _review(*, agent, version, status=ReviewStatus.PUBLISHED, **fields):
    factory = QAReviewFactory if status == ReviewStatus.DRAFT else PublishedQAReviewFactory
    review = factory(
        interaction=InteractionFactory(employee=agent), version=version, status=status, **fields
    )
    for criterion in version.qa_criteria.all():
        QARatingFactory(review=review, criterion=criterion, rating=3, comment="")
    return review


# ---- QA reviews ------------------------------------------------------------------------------


@pytest.fixture
def resolved_review(world, version, north_manager, send_tasks_eagerly):
    """A review of the north agent published, read, disputed on both criteria, then decided:
    one criterion upheld, one adjusted."""
    agent = world["agents"]["north"]
    author = EmployeeFactory(role=Role.MANAGER)
    world["teams"]["north"].managers.add(author)
    opened = timezone.now() - dt.timedelta(hours=3)
    interaction = InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )
    criteria = {c.code: c for c in version.qa_criteria.all()}
    draft = qa_services.qa_review_start(interaction=interaction, reviewer=author)
    review = qa_services.qa_review_save_and_publish(
        review=draft,
        actor=author,
        ratings={criteria["greeting"].pk: (2, "Short"), criteria["solving"].pk: (1, "Guessed")},
    )
    qa_services.qa_review_mark_seen(review=review, agent=agent)
    qa_services.qa_review_dispute(
        review=review,
        agent=agent,
        proposals={
            criteria["greeting"].pk: (3, "I greeted by name."),
            criteria["solving"].pk: (3, "The fix worked."),
        },
        reason="Two ratings are too low.",
    )
    return qa_services.qa_review_resolve(
        review=review,
        manager=north_manager,
        decisions={
            criteria["greeting"].pk: (DisputeOutcome.UPHELD, None),
            criteria["solving"].pk: (DisputeOutcome.ADJUSTED, 3),
        },
        note="The fix did work.",
    )


@pytest.fixture
def send_tasks_eagerly(monkeypatch):
    from feedback import qa_tasks

    monkeypatch.setattr(
        qa_tasks.qa_review_email_send,
        "apply_async",
        lambda args, retry: qa_tasks.qa_review_email_send.apply(args=args),
    )


def test_a_review_carries_its_ratings_dispute_trail_and_history(client_for, resolved_review):
    (row,) = client_for().get(REVIEWS).json()["results"]
    agent = resolved_review.interaction.employee
    assert row["id"] == resolved_review.pk
    assert row["status"] == "resolved"
    assert row["sampled_by"] == resolved_review.sampled_by
    assert row["agent"] == {"id": agent.pk, "name": agent.full_name, "external_id": "E-north"}
    assert row["interaction"]["id"] == resolved_review.interaction_id
    assert row["total"] == float(resolved_review.total)
    assert row["seen_at"] is not None
    assert [
        (r["criterion"], r["label"], r["weight"], r["rating"], r["comment"]) for r in row["ratings"]
    ] == [
        ("greeting", "Greeting", 1.0, 2, "Short"),
        ("solving", "Problem solving", 2.0, 3, "Guessed"),
    ]
    dispute = row["dispute"]
    assert dispute["reason"] == "Two ratings are too low."
    assert dispute["outcome"] == "adjusted"
    assert dispute["resolution_note"] == "The fix did work."
    assert dispute["resolved_by"]["id"] == resolved_review.resolved_by_id
    assert [
        (
            i["criterion"],
            i["disputed_rating"],
            i["proposed_rating"],
            i["decision"],
            i["decided_rating"],
        )
        for i in dispute["items"]
    ] == [("greeting", 2, 3, "upheld", 2), ("solving", 1, 3, "adjusted", 3)]
    assert [e["action"] for e in row["events"]] == [
        "created",
        "published",
        "seen",
        "disputed",
        "resolved",
    ]
    assert row["events"][-1]["note"] == "The fix did work."


def test_an_undisputed_review_has_no_dispute(client_for, world, version):
    _review(agent=world["agents"]["north"], version=version)
    (row,) = client_for().get(REVIEWS).json()["results"]
    assert row["dispute"] is None


def test_agents_see_their_published_reviews_never_a_draft(world, version, north_manager):
    north, south = world["agents"]["north"], world["agents"]["south"]
    mine = _review(agent=north, version=version)
    _review(agent=north, version=version, status=ReviewStatus.DRAFT, reviewer=north_manager)
    _review(agent=south, version=version)
    assert _ids(_session(north.user).get(REVIEWS)) == {mine.pk}


def test_managers_see_their_teams_reviews_and_their_own_drafts(world, version, north_manager):
    north, south = world["agents"]["north"], world["agents"]["south"]
    published = _review(agent=north, version=version)
    draft = _review(agent=north, version=version, status=ReviewStatus.DRAFT, reviewer=north_manager)
    _review(agent=north, version=version, status=ReviewStatus.DRAFT)  # another reviewer's
    _review(agent=south, version=version)
    assert _ids(_session(north_manager.user).get(REVIEWS)) == {published.pk, draft.pk}


def test_keys_never_see_drafts_and_restricted_keys_only_their_teams(client_for, world, version):
    north = _review(agent=world["agents"]["north"], version=version)
    south = _review(agent=world["agents"]["south"], version=version)
    _review(agent=world["agents"]["north"], version=version, status=ReviewStatus.DRAFT)
    assert _ids(client_for().get(REVIEWS)) == {north.pk, south.pk}
    assert _ids(client_for(teams=[world["teams"]["north"]]).get(REVIEWS)) == {north.pk}


def test_keys_never_see_a_calibration_sessions_ratings_before_it_reveals(
    client_for, world, version
):
    session = CalibrationSessionFactory()
    rating = _review(
        agent=world["agents"]["north"],
        version=version,
        reason=ReviewReason.CALIBRATION,
        calibration_session=session,
    )
    # A second reviewer has not rated yet: the session is open until its deadline.
    _review(
        agent=world["agents"]["north"],
        version=version,
        status=ReviewStatus.DRAFT,
        reason=ReviewReason.CALIBRATION,
        calibration_session=session,
    )
    assert _ids(client_for().get(REVIEWS)) == set()

    session.deadline = timezone.now() - dt.timedelta(minutes=1)
    session.save(update_fields=["deadline"])
    assert _ids(client_for().get(REVIEWS)) == {rating.pk}


def test_a_sectioned_reviews_ratings_name_their_sections(client_for, world):
    from tests.scorecards.test_qa_sections import sectioned_version

    version = sectioned_version(
        world["version"].scorecard,
        number=world["version"].number + 5,
        effective_from=timezone.localdate() - dt.timedelta(days=30),
    )
    review = _review(agent=world["agents"]["north"], version=version)

    (row,) = client_for().get(REVIEWS).json()["results"]
    assert row["id"] == review.pk
    assert [(r["section"], r["section_label"], r["criterion"]) for r in row["ratings"]] == [
        ("opening", "Opening", "greeting"),
        ("opening", "Opening", "listening"),
        ("compliance", "Compliance", "escalation"),
        ("compliance", "Compliance", "courtesy"),
    ]
    lines = _csv(client_for().get(REVIEWS, {"format": "csv"}))
    assert [line["section"] for line in lines] == ["opening", "opening", "compliance", "compliance"]


def test_reviews_filter_by_agent_team_status_and_day(client_for, world, version):
    north = _review(agent=world["agents"]["north"], version=version)
    south = _review(agent=world["agents"]["south"], version=version, status=ReviewStatus.DISPUTED)
    client = client_for()
    assert _ids(client.get(REVIEWS, {"agent": world["agents"]["south"].pk})) == {south.pk}
    assert _ids(client.get(REVIEWS, {"team": "north"})) == {north.pk}
    assert _ids(client.get(REVIEWS, {"status": "disputed"})) == {south.pk}
    today = timezone.localdate()
    assert _ids(client.get(REVIEWS, {"date_from": today.isoformat()})) == {north.pk, south.pk}
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert _ids(client.get(REVIEWS, {"date_to": yesterday})) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"agent": "abc"}, "agent"),
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(client_for, world, params, field):
    for url in (REVIEWS, SESSIONS, SURVEYS):
        if field == "status" and url != REVIEWS:
            continue
        response = client_for().get(url, params)
        assert response.status_code == 400, (url, response.content)
        assert response.json()["errors"][0]["field"] == field


def test_reviews_come_in_pages_newest_first(client_for, world, version):
    reviews = [_review(agent=world["agents"]["north"], version=version) for _ in range(3)]
    client = client_for()
    first = client.get(REVIEWS, {"page_size": 2}).json()
    assert [row["id"] for row in first["results"]] == [reviews[2].pk, reviews[1].pk]
    second = client.get(first["next"]).json()
    assert [row["id"] for row in second["results"]] == [reviews[0].pk]
    assert second["next"] is None
    # A cursor whose position is not an id ("p=abc").
    assert client.get(REVIEWS, {"cursor": "cD1hYmM="}).status_code == 404


def test_reviews_as_csv_one_line_per_criterion_with_its_dispute(client_for, resolved_review):
    user = resolved_review.interaction.employee.user
    user.first_name, user.last_name = "=cmd", "x"
    user.save()
    response = client_for().get(REVIEWS, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="qa-reviews.csv"'
    rows = _csv(response)
    assert [(r["review_id"], r["criterion"]) for r in rows] == [
        (str(resolved_review.pk), "greeting"),
        (str(resolved_review.pk), "solving"),
    ]
    assert rows[0]["agent_name"] == "'=cmd x"
    assert (rows[1]["disputed_rating"], rows[1]["proposed_rating"]) == ("1", "3")
    assert (rows[1]["decision"], rows[1]["decided_rating"]) == ("adjusted", "3")
    assert rows[1]["rating"] == "3"


def test_reviews_as_excel_keep_numbers_and_times(client_for, world, version):
    _review(agent=world["agents"]["north"], version=version)
    response = client_for().get(REVIEWS, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, first, second = (list(row) for row in sheet.iter_rows(values_only=True))
    line = dict(zip(header, first, strict=True))
    assert line["total"] == 75
    assert isinstance(line["created_at"], dt.datetime)
    assert line["weight"] == 1
    assert line["rating"] == 3
    assert dict(zip(header, second, strict=True))["criterion"] == "solving"


def test_a_file_is_filtered_like_the_list(client_for, world, version):
    _review(agent=world["agents"]["north"], version=version)
    south = _review(agent=world["agents"]["south"], version=version)
    rows = _csv(client_for().get(REVIEWS, {"format": "csv", "team": "south"}))
    assert {r["review_id"] for r in rows} == {str(south.pk)}
    assert client_for().get(REVIEWS, {"format": "csv", "status": "closed"}).status_code == 400
    assert client_for().get(REVIEWS, {"format": "csv", "page_size": "x"}).status_code == 400
    # An unknown team matches no row, as the score lists' team filter.
    assert _csv(client_for().get(REVIEWS, {"format": "csv", "team": "nowhere"})) == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_reviews_cost_the_same_queries_for_one_row_or_many(client_for, world, version):
    client = client_for()
    client.get(REVIEWS)  # the key's last use is written once
    _review(agent=world["agents"]["north"], version=version)
    # The key, the page, then ratings, disputed criteria and events: one query each.
    assert _queries(client, REVIEWS) == 5
    for _ in range(4):
        review = _review(agent=world["agents"]["south"], version=version)
        qa_services._event(review=review, actor=review.reviewer, action="published")
    assert _queries(client, REVIEWS) == 5
    assert _queries(client, REVIEWS + "?format=csv") == 5


# ---- coaching sessions -----------------------------------------------------------------------


@pytest.fixture
def session(world, version, north_manager):
    agent = world["agents"]["north"]
    session = CoachingSessionFactory(
        agent=agent,
        coach=north_manager,
        held_on=timezone.localdate() - dt.timedelta(days=2),
        follow_up_on=timezone.localdate() + dt.timedelta(days=12),
        metrics=["fcr", "qa"],
        acknowledged_at=timezone.now(),
        agent_comment="Will do.",
    )
    review = _review(agent=agent, version=version)
    interaction = review.interaction
    goal = GoalFactory(employee=agent)
    session.criteria.set([version.qa_criteria.get(code="solving")])
    session.reviews.set([review])
    session.interactions.set([interaction])
    session.goals.set([goal])
    CoachingActionFactory(session=session, description="Shadow a senior", due_on=session.held_on)
    CoachingActionFactory(
        session=session,
        owner=north_manager,
        description="Book a call review",
        due_on=session.held_on + dt.timedelta(days=5),
        done_at=timezone.now(),
    )
    session.links = {"review": review.pk, "interaction": interaction.pk, "goal": goal.pk}
    return session


def test_a_session_carries_topics_links_actions_and_the_agents_answer(client_for, session):
    (row,) = client_for().get(SESSIONS).json()["results"]
    assert row["id"] == session.pk
    assert row["agent"]["id"] == session.agent_id
    assert row["coach"]["name"] == session.coach.full_name
    assert row["metrics"] == ["fcr", "qa"]
    assert row["criteria"] == [{"code": "solving", "label": "Problem solving"}]
    assert row["reviews"] == [session.links["review"]]
    assert row["interactions"] == [session.links["interaction"]]
    assert row["goals"] == [session.links["goal"]]
    assert row["follow_up_on"] == session.follow_up_on.isoformat()
    assert row["acknowledged_at"] is not None
    assert row["agent_comment"] == "Will do."
    assert [(a["description"], a["owner"]["id"], a["done_at"] is None) for a in row["actions"]] == [
        ("Shadow a senior", session.agent_id, True),
        ("Book a call review", session.coach_id, False),
    ]
    assert row["actions"][0]["due_on"] == session.held_on.isoformat()


def test_sessions_are_seen_as_on_the_pages(client_for, world, session, north_manager):
    south = CoachingSessionFactory(agent=world["agents"]["south"])
    assert _ids(_session(session.agent.user).get(SESSIONS)) == {session.pk}
    assert _ids(_session(world["agents"]["south"].user).get(SESSIONS)) == {south.pk}
    assert _ids(_session(north_manager.user).get(SESSIONS)) == {session.pk}
    assert _ids(client_for(teams=[world["teams"]["south"]]).get(SESSIONS)) == {south.pk}
    assert _ids(client_for().get(SESSIONS)) == {session.pk, south.pk}


def test_sessions_filter_by_agent_team_days_and_acknowledgement(client_for, world, session):
    south = CoachingSessionFactory(agent=world["agents"]["south"])
    client = client_for()
    assert _ids(client.get(SESSIONS, {"agent": world["agents"]["south"].pk})) == {south.pk}
    assert _ids(client.get(SESSIONS, {"team": "north"})) == {session.pk}
    assert _ids(client.get(SESSIONS, {"acknowledged": "true"})) == {session.pk}
    assert _ids(client.get(SESSIONS, {"acknowledged": "false"})) == {south.pk}
    assert client.get(SESSIONS, {"acknowledged": "maybe"}).status_code == 400
    day = session.held_on.isoformat()
    assert _ids(client.get(SESSIONS, {"date_from": day, "date_to": day})) == {session.pk}


def test_sessions_as_csv_and_excel(client_for, session):
    (row,) = _csv(client_for().get(SESSIONS, {"format": "csv"}))
    assert row["id"] == str(session.pk)
    assert row["metrics"] == "fcr qa"
    assert row["actions_open"] == "1"
    assert row["actions"].startswith(f"Shadow a senior ({session.agent.full_name}, ")
    assert row["held_on"] == session.held_on.isoformat()
    response = client_for().get(SESSIONS, {"format": "xlsx"})
    header, line = (
        list(r)
        for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
    )
    line = dict(zip(header, line, strict=True))
    assert line["actions_open"] == 1
    assert isinstance(line["held_on"], dt.datetime)  # Excel keeps a date as a date-time cell
    assert line["held_on"].date() == session.held_on


def test_sessions_cost_the_same_queries_for_one_row_or_many(client_for, world, session):
    client = client_for()
    client.get(SESSIONS)
    # The key, the page, and one query each for criteria, reviews, interactions, goals, actions.
    assert _queries(client, SESSIONS) == 7
    for _ in range(3):
        CoachingActionFactory(session=CoachingSessionFactory(agent=world["agents"]["south"]))
    assert _queries(client, SESSIONS) == 7


# ---- survey answers --------------------------------------------------------------------------


def test_survey_answers_are_listed_as_on_the_pages(client_for, world):
    north = SurveyResponseFactory(
        interaction=InteractionFactory(employee=world["agents"]["north"]), csat=2, comment="Slow"
    )
    south = SurveyResponseFactory(interaction=InteractionFactory(employee=world["agents"]["south"]))
    row = next(r for r in client_for().get(SURVEYS).json()["results"] if r["id"] == north.pk)
    assert row["csat"] == 2
    assert row["comment"] == "Slow"
    assert row["agent"]["id"] == world["agents"]["north"].pk
    assert _ids(_session(world["agents"]["north"].user).get(SURVEYS)) == {north.pk}
    assert _ids(client_for(teams=[world["teams"]["south"]]).get(SURVEYS)) == {south.pk}
    assert _ids(client_for().get(SURVEYS, {"csat": 2})) == {north.pk}
    assert _ids(client_for().get(SURVEYS, {"team": "south"})) == {south.pk}
    assert client_for().get(SURVEYS, {"csat": 9}).status_code == 400


def test_survey_answers_as_csv_and_with_fixed_queries(client_for, world):
    SurveyResponseFactory(interaction=InteractionFactory(employee=world["agents"]["north"]))
    client = client_for()
    (row,) = _csv(client.get(SURVEYS, {"format": "csv"}))
    assert list(row)[:3] == ["id", "interaction_id", "agent_id"]
    assert row["csat"] == "5"
    assert _queries(client, SURVEYS) == 2
    for _ in range(3):
        SurveyResponseFactory(interaction=InteractionFactory(employee=world["agents"]["south"]))
    assert _queries(client, SURVEYS) == 2


def test_posting_an_answer_still_works(client_for, world):
    interaction = InteractionFactory(employee=world["agents"]["north"])
    response = client_for(scopes=[ApiScope.FEEDBACK_WRITE]).post(
        SURVEYS, {"interaction": interaction.pk, "csat": 4}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["csat"] == 4


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        (REVIEWS, ApiScope.QA_READ),
        (SESSIONS, ApiScope.COACHING_READ),
        (SURVEYS, ApiScope.FEEDBACK_READ),
    ],
)
def test_each_list_needs_its_scope_and_agents_hold_it(client_for, world, url, scope):
    others = [s for s in ApiScope.values if s != scope]
    response = client_for(scopes=others).get(url)
    assert response.status_code == 403
    assert scope in response.json()["errors"][0]["message"]
    assert client_for(scopes=[scope]).get(url).status_code == 200
    assert _session(world["agents"]["north"].user).get(url).status_code == 200
    onboarding = EmployeeFactory(role=Role.ONBOARDING)
    assert _session(onboarding.user).get(url).status_code == 403
