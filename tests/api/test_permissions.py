import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from staff.choices import ApiScope, Role
from staff.models import ApiKey
from tests.api.conftest import DAY
from tests.factories import (
    CustomerFactory,
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    InteractionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

S = ApiScope
# (method, url, the scope it needs)
ENDPOINTS = [
    ("get", "/api/v1/scorecards/", None),
    ("get", "/api/v1/teams/", None),
    ("get", "/api/v1/employees/", None),
    ("get", "/api/v1/scores/employees/", S.SCORES_READ),
    ("get", "/api/v1/scores/teams/", S.SCORES_READ),
    ("get", "/api/v1/scores/summary/?date_from=2026-03-01&date_to=2026-03-31", S.SCORES_READ),
    ("get", "/api/v1/interactions/", S.INTERACTIONS_WRITE),
    ("post", "/api/v1/interactions/", S.INTERACTIONS_WRITE),
    ("get", "/api/v1/feedback/surveys/", S.FEEDBACK_READ),
    ("post", "/api/v1/feedback/surveys/", S.FEEDBACK_WRITE),
    ("get", "/api/v1/qa/reviews/", S.QA_READ),
    ("get", "/api/v1/coaching/sessions/", S.COACHING_READ),
    ("get", "/api/v1/customers/", S.CUSTOMERS_READ),
    ("post", "/api/v1/customers/", S.CUSTOMERS_WRITE),
]


def _call(client, method, url):
    # An empty body: a permitted write is refused as invalid (400), never reaches a write.
    return client.post(url, {}, format="json") if method == "post" else client.get(url)


@pytest.mark.parametrize(("method", "url", "scope"), ENDPOINTS)
@pytest.mark.parametrize("scopes", [[], *([s] for s in S.values), list(S.values)], ids=str)
@pytest.mark.parametrize("restricted", [False, True], ids=["all-teams", "north-only"])
def test_scope_sweep(client_for, world, method, url, scope, scopes, restricted):
    teams = [world["teams"]["north"]] if restricted else []
    response = _call(client_for(scopes=scopes, teams=teams), method, url)
    if scope is not None and scope not in scopes:
        assert response.status_code == 403
        assert scope in response.json()["errors"][0]["message"]
    else:
        assert response.status_code == (400 if method == "post" else 200)


def _subjects(response):
    rows = response.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    return {row["subject"]["id"] if "subject" in row else row["id"] for row in rows}


@pytest.mark.parametrize(
    ("url", "subject"),
    [
        ("/api/v1/scores/employees/", "agents"),
        ("/api/v1/scores/summary/?date_from=2026-03-01&date_to=2026-03-31", "agents"),
        ("/api/v1/scores/teams/", "teams"),
        ("/api/v1/scores/summary/?group_by=team&date_from=2026-03-01&date_to=2026-03-31", "teams"),
        ("/api/v1/employees/", "agents"),
        ("/api/v1/teams/", "teams"),
    ],
)
def test_a_team_restricted_key_sees_only_its_teams_rows(client_for, world, url, subject):
    north = world[subject]["north"].pk
    south = world[subject]["south"].pk
    assert _subjects(client_for().get(url)) == {north, south}
    assert _subjects(client_for(teams=[world["teams"]["north"]]).get(url)) == {north}


def _session(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_agents_see_only_their_own_scores(world):
    agent = world["agents"]["north"]
    client = _session(agent.user)
    assert _subjects(client.get("/api/v1/scores/employees/")) == {agent.pk}
    assert _subjects(client.get("/api/v1/scores/teams/")) == set()


def test_agents_see_only_their_own_interactions(world):
    client = _session(world["agents"]["north"].user)
    InteractionFactory(employee=world["agents"]["south"])
    assert client.get("/api/v1/interactions/").json()["results"] == []


def test_managers_see_their_teams_people(world):
    manager = EmployeeFactory(role=Role.MANAGER)
    world["teams"]["south"].managers.add(manager)
    client = _session(manager.user)
    assert _subjects(client.get("/api/v1/scores/employees/")) == {world["agents"]["south"].pk}
    assert _subjects(client.get("/api/v1/scores/teams/")) == {world["teams"]["south"].pk}


def test_onboarding_staff_get_no_scores(world):
    client = _session(EmployeeFactory(role=Role.ONBOARDING).user)
    assert client.get("/api/v1/scores/employees/").status_code == 403
    assert client.get("/api/v1/scorecards/").status_code == 200


@pytest.mark.parametrize("make_admin", ["role", "superuser"])
def test_admins_see_everything(world, make_admin):
    if make_admin == "role":
        user = EmployeeFactory(role=Role.ADMIN).user
    else:
        user = UserFactory(is_superuser=True)
    client = _session(user)
    assert len(_subjects(client.get("/api/v1/scores/employees/"))) == 2


def test_session_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world["agents"]["north"].user)
    response = client.post("/api/v1/customers/", {"name": "Ann"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields",
    [{"revoked": True}, {"expiry_date": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}],
    ids=["revoked", "expired"],
)
def test_revoked_and_expired_keys_are_refused(make_key, fields):
    _, raw = make_key(**fields)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/teams/").status_code == 401


def test_keys_are_stored_hashed(make_key):
    api_key, raw = make_key()
    assert raw.split(".")[1] not in api_key.hashed_key
    assert ApiKey.objects.get_from_key(raw) == api_key


def test_last_use_is_written_at_most_once_a_minute(make_key, django_assert_num_queries):
    api_key, raw = make_key()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    client.get("/api/v1/scorecards/")
    api_key.refresh_from_db()
    first = api_key.last_used_at
    assert first is not None
    with django_assert_num_queries(2):
        # The key (for every team, so no second query for its teams) and the scorecards: no write.
        client.get("/api/v1/scorecards/")
    api_key.refresh_from_db()
    assert api_key.last_used_at == first
    ApiKey.objects.filter(pk=api_key.pk).update(
        last_used_at=timezone.now() - dt.timedelta(minutes=2)
    )
    client.get("/api/v1/scorecards/")
    api_key.refresh_from_db()
    assert api_key.last_used_at > first


# ---- the memo of verified keys (production keeps a key for API_MEMO_SECONDS) -----------


@pytest.fixture
def memo_on(settings):
    settings.API_MEMO_SECONDS = 5


def test_a_key_verified_lately_is_not_looked_up_again(memo_on, make_key, django_assert_num_queries):
    _, raw = make_key()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    client.get("/api/v1/scorecards/")
    with django_assert_num_queries(1):
        # Only the scorecards: the key was verified a moment ago and its use written.
        assert client.get("/api/v1/scorecards/").status_code == 200


def test_a_key_revoked_here_is_refused_at_once(memo_on, make_key):
    api_key, raw = make_key()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/scorecards/").status_code == 200
    api_key.revoked = True
    api_key.save()

    assert client.get("/api/v1/scorecards/").status_code == 401


def test_a_key_revoked_by_another_process_is_refused_once_the_memo_lapses(
    memo_on, make_key, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    api_key, raw = make_key()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/scorecards/").status_code == 200
    # As another process revokes it: no signal reaches this one.
    ApiKey.objects.filter(pk=api_key.pk).update(revoked=True)

    time_machine.shift(dt.timedelta(seconds=4))
    assert client.get("/api/v1/scorecards/").status_code == 200
    time_machine.shift(dt.timedelta(seconds=1))
    assert client.get("/api/v1/scorecards/").status_code == 401


def test_an_expired_key_is_refused_even_when_remembered(memo_on, make_key, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    _, raw = make_key(expiry_date=timezone.now() + dt.timedelta(seconds=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert client.get("/api/v1/scorecards/").status_code == 200

    time_machine.shift(dt.timedelta(seconds=3))
    assert client.get("/api/v1/scorecards/").status_code == 401


def _customer_ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_customers_are_limited_like_the_customer_pages(world):
    mine, theirs = CustomerFactory(), CustomerFactory()
    InteractionFactory(employee=world["agents"]["north"], customer=mine)
    InteractionFactory(employee=world["agents"]["south"], customer=theirs)
    agent = _session(world["agents"]["north"].user)
    assert _customer_ids(agent.get("/api/v1/customers/")) == {mine.pk}
    admin = _session(EmployeeFactory(role=Role.ADMIN).user)
    assert {mine.pk, theirs.pk, world["customer"].pk} <= _customer_ids(
        admin.get("/api/v1/customers/")
    )


def test_a_team_restricted_key_lists_only_its_teams_customers(client_for, world):
    mine, theirs = CustomerFactory(), CustomerFactory()
    InteractionFactory(employee=world["agents"]["north"], customer=mine)
    InteractionFactory(employee=world["agents"]["south"], customer=theirs)
    north = client_for(teams=[world["teams"]["north"]])
    assert _customer_ids(north.get("/api/v1/customers/")) == {mine.pk}
    assert {mine.pk, theirs.pk} <= _customer_ids(client_for().get("/api/v1/customers/"))


# ---- boundaries (README): accounts without a role, effective dates, fail-closed keys ---------

ALL_ENDPOINTS = [(method, url) for method, url, _scope in ENDPOINTS]


@pytest.mark.parametrize("who", ["manager_deactivated", "agent_deactivated", "no_employee"])
@pytest.mark.parametrize(("method", "url"), ALL_ENDPOINTS)
def test_an_account_without_a_role_is_refused_everywhere(world, who, method, url):
    if who == "no_employee":
        user = UserFactory()
    else:
        role = Role.MANAGER if who == "manager_deactivated" else Role.AGENT
        person = EmployeeFactory(role=role, is_active=False)
        TeamMembershipFactory(employee=person, team=world["teams"]["north"])
        world["teams"]["north"].managers.add(person)
        user = person.user

    assert _call(_session(user), method, url).status_code == 403


@pytest.fixture
def moved(world):
    """The north agent moved to south ten days ago; an interaction (and score) on each side."""
    agent = world["agents"]["north"]
    moved_on = timezone.localdate() - dt.timedelta(days=10)
    agent.memberships.update(ends_on=moved_on - dt.timedelta(days=1))
    TeamMembershipFactory(employee=agent, team=world["teams"]["south"], starts_on=moved_on)
    before = CustomerFactory(external_id="C-before")
    after = CustomerFactory(external_id="C-after")
    old = InteractionFactory(
        employee=agent, customer=before, opened_at=timezone.now() - dt.timedelta(days=20)
    )
    new = InteractionFactory(
        employee=agent, customer=after, opened_at=timezone.now() - dt.timedelta(days=2)
    )
    EmployeeDailyScoreFactory(
        employee=agent,
        team=world["teams"]["south"],
        version=world["version"],
        day=timezone.localdate() - dt.timedelta(days=2),
    )
    return {"agent": agent, "old": old, "new": new, "before": before, "after": after}


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def _old_team_readers(client_for, world):
    manager = EmployeeFactory(role=Role.MANAGER)
    world["teams"]["north"].managers.add(manager)
    return {
        "key": client_for(teams=[world["teams"]["north"]]),
        "manager": _session(manager.user),
    }


@pytest.mark.parametrize("reader", ["key", "manager"])
def test_the_old_team_reads_a_former_members_days_in_it_only(client_for, world, moved, reader):
    client = _old_team_readers(client_for, world)[reader]

    assert _ids(client.get("/api/v1/interactions/")) == {moved["old"].pk}
    assert _customer_ids(client.get("/api/v1/customers/")) == {moved["before"].pk}
    days = {row["date"] for row in client.get("/api/v1/scores/employees/").json()["results"]}
    assert days == {DAY.isoformat()}


@pytest.mark.parametrize("reader", ["key", "manager"])
def test_the_old_team_writes_nothing_for_a_former_member(client_for, world, moved, reader):
    client = _old_team_readers(client_for, world)[reader]
    row = {
        "employee": moved["agent"].pk,
        "customer": moved["before"].pk,
        "channel": "email",
        "subject": "After the move",
        "opened_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "source": "helpdesk",
        "external_id": "T-moved",
    }

    pushed = client.post("/api/v1/interactions/", row, format="json")
    answered = client.post(
        "/api/v1/feedback/surveys/", {"interaction": moved["old"].pk, "csat": 1}, format="json"
    )

    assert pushed.status_code == 400
    assert pushed.json()["errors"][0]["message"] == "Unknown employee."
    assert answered.status_code == 400
    assert answered.json()["errors"][0]["message"] == "Unknown interaction."


def test_a_key_restricted_to_a_deleted_team_sees_nothing(client_for, world):
    gone = TeamFactory(slug="gone", scorecard=world["version"].scorecard)
    client = client_for(teams=[gone])
    gone.delete()

    for url in ("/api/v1/employees/", "/api/v1/teams/", "/api/v1/scores/employees/"):
        assert _subjects(client.get(url)) == set(), url
    InteractionFactory(employee=world["agents"]["north"], customer=world["customer"])
    assert client.get("/api/v1/interactions/").json()["results"] == []
    assert _customer_ids(client.get("/api/v1/customers/")) == set()


@pytest.mark.parametrize("writer", ["agent", "key"])
def test_an_interaction_cannot_reveal_another_teams_customer(client_for, world, writer):
    theirs = CustomerFactory()
    InteractionFactory(employee=world["agents"]["south"], customer=theirs)
    fresh = CustomerFactory()
    if writer == "agent":
        client = _session(world["agents"]["north"].user)
    else:
        client = client_for(teams=[world["teams"]["north"]])

    def push(customer, n):
        row = {
            "employee": world["agents"]["north"].pk,
            "customer": customer.pk,
            "channel": "email",
            "subject": "Hello",
            "opened_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
            "source": "helpdesk",
            "external_id": f"T-{n}",
        }
        return client.post("/api/v1/interactions/", row, format="json")

    refused = push(theirs, 1)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "Unknown customer."
    assert push(CustomerFactory.build(pk=987654), 2).json() == refused.json()
    # A customer nobody has dealt with yet (one just created) can be written to.
    assert push(fresh, 3).status_code == 200
    assert _customer_ids(client.get("/api/v1/customers/")) == {fresh.pk}


def test_the_old_team_is_not_told_where_a_former_member_went(client_for, world, moved):
    old_team = client_for(teams=[world["teams"]["north"]])
    rows = {row["id"]: row["team"] for row in old_team.get("/api/v1/employees/").json()}

    assert rows == {moved["agent"].pk: None}
    assert old_team.get("/api/v1/employees/?team=south").json() == []
    everyone = {row["id"]: row["team"] for row in client_for().get("/api/v1/employees/").json()}
    assert everyone[moved["agent"].pk] == "south"
