"""Every page URL × every role: the status each role gets, so nobody sees what is not theirs.

The URL patterns come from the root URLconf itself; a page added without an expectation here
fails `test_every_page_pattern_has_an_expectation`. The admin is checked for staff only, and
the API has its own sweep over keys and scopes in tests/api.

The objects in the URLs belong to `subject`, an agent of team A who moved there from team Old
29 days ago. The roles that ask for them: anonymous; `agent`, another agent of team A (a peer:
must not see the subject's own data); `manager_other`, the manager of team B; `manager_own`, the
manager of team A; `onboarding`; `admin` (the admin role, staff); `manager_old`, the manager of
team Old (reads the subject's days in team Old only, writes nothing); and the accounts without a
role (README): `manager_deactivated` (of team A), `agent_deactivated` (of team A) and
`no_employee` (a user without an employee record). "login" means a redirect to the sign-in page.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from feedback.models import CalibrationSession
from feedback.survey_selectors import survey_token
from imports.choices import ImportKind
from imports.models import ImportJob
from integrations.choices import ConnectionKind
from integrations.models import ExternalAgent
from integrations.services import connection_create, event_receive
from scorecards.choices import MetricCode
from staff.choices import Role
from tests.factories import (
    AlertFactory,
    ChangeEventFactory,
    CoachingActionFactory,
    CoachingSessionFactory,
    CustomerFactory,
    EmployeeFactory,
    GoalFactory,
    InteractionFactory,
    PublishedQAReviewFactory,
    PublishedVersionFactory,
    ScorecardVersionFactory,
    SurveyInvitationFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

ROLES = ["anonymous", "agent", "manager_other", "manager_own", "onboarding", "admin"]
WITHOUT_ROLE = ("manager_deactivated", "agent_deactivated", "no_employee")
# Every role swept: those of the EXPECTED table, then those derived from it (`_expected`).
ALL_ROLES = [*ROLES, "manager_old", *WITHOUT_ROLE]
# Patterns whose URLs are not pages: the admin and the API have their own checks.
SKIPPED_PREFIXES = ("admin/", "api/")


def _page_patterns(patterns=None, prefix="", namespace=""):
    """Yield (name, route) of every page pattern in the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _page_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", route


PAGE_PATTERNS = dict(_page_patterns())


def _employee(role, username, team=None, *, is_active=True, **user_fields):
    person = EmployeeFactory(
        user=UserFactory(username=username, **user_fields), role=role, is_active=is_active
    )
    if team is not None:
        TeamMembershipFactory(employee=person, team=team)
    return person


def _users(*, team_a, team_b, team_old) -> dict:
    """A user of each role and standing: own and other team's managers, deactivated ones..."""
    users = {
        "agent": _employee(Role.AGENT, "peer", team_a).user,
        "manager_own": _employee(Role.MANAGER, "lead-a").user,
        "manager_other": _employee(Role.MANAGER, "lead-b").user,
        "onboarding": _employee(Role.ONBOARDING, "onboarding").user,
        "admin": _employee(Role.ADMIN, "admin-role", is_staff=True).user,
        "manager_old": _employee(Role.MANAGER, "lead-old").user,
        "manager_deactivated": _employee(
            Role.MANAGER, "lead-a-gone", is_active=False, is_staff=True
        ).user,
        "agent_deactivated": _employee(Role.AGENT, "peer-gone", team_a, is_active=False).user,
        "no_employee": UserFactory(username="no-employee"),
    }
    team_a.managers.add(users["manager_own"].employee, users["manager_deactivated"].employee)
    team_b.managers.add(users["manager_other"].employee)
    team_old.managers.add(users["manager_old"].employee)
    return users


@pytest.fixture
def world(db):
    """Two teams, their managers, the subject agent with data of every kind, and each role."""
    version = PublishedVersionFactory(metrics=[{"code": MetricCode.CSAT}])
    scorecard = version.scorecard
    draft = ScorecardVersionFactory(scorecard=scorecard, effective_from=dt.date(2030, 1, 1))
    team_a = TeamFactory(slug="team-a", scorecard=scorecard)
    team_b = TeamFactory(slug="team-b", scorecard=scorecard)
    team_old = TeamFactory(slug="team-old", scorecard=scorecard)

    subject = _employee(Role.AGENT, "subject")
    moved_on = timezone.localdate() - dt.timedelta(days=29)
    TeamMembershipFactory(employee=subject, team=team_old, ends_on=moved_on - dt.timedelta(days=1))
    TeamMembershipFactory(employee=subject, team=team_a, starts_on=moved_on)
    users = _users(team_a=team_a, team_b=team_b, team_old=team_old)
    interaction = InteractionFactory(
        employee=subject,
        customer=CustomerFactory(),
        follow_up_due=timezone.localdate(),
        resolved_at=timezone.now() - dt.timedelta(hours=1),
    )
    review = PublishedQAReviewFactory(interaction=interaction, version=version, total=Decimal(70))
    invitation = SurveyInvitationFactory(interaction=interaction)
    connection = connection_create(kind=ConnectionKind.CHATWOOT, name="Support")
    inbound = event_receive(connection=connection, body=b"{}")
    import_job = ImportJob.objects.create(
        kind=ImportKind.INTERACTIONS,
        source="helpdesk",
        file_name="tickets.csv",
        headers=["id"],
        created_by=users["manager_own"].employee,
    )
    session = CoachingSessionFactory(agent=subject, coach=users["manager_own"].employee)
    calibration = CalibrationSession.objects.create(
        title="Calibration",
        created_by=users["manager_own"].employee,
        deadline=timezone.now() + dt.timedelta(days=1),
    )
    calibration.interactions.add(interaction)
    calibration.reviewers.add(users["manager_own"].employee, users["admin"].employee)
    return {
        "import_job": import_job,
        "connection": connection,
        "zendesk_connection": connection_create(kind=ConnectionKind.ZENDESK, name="Zendesk"),
        "inbound_event": inbound,
        "external_agent": ExternalAgent.objects.create(connection=connection, external_id="7"),
        "scorecard": scorecard,
        "draft": draft,
        "team": team_a,
        "team_old": team_old,
        "moved_on": moved_on,
        "subject": subject,
        "users": users,
        "goal": GoalFactory(employee=subject),
        "event": ChangeEventFactory(team=team_a),
        "alert": AlertFactory(employee=None, team=team_a),
        "interaction": interaction,
        "customer": interaction.customer,
        "review": review,
        "token": survey_token(invitation=invitation),
        "session": session,
        "action": CoachingActionFactory(session=session),
        "calibration": calibration,
    }


def _kwargs(name: str, world: dict) -> dict:
    """The URL arguments of a page, pointing at the subject's objects."""
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    by_argument = {
        "slug": world["scorecard"].slug,
        "number": world["draft"].number,
        "day": yesterday,
        "goal_id": world["goal"].pk,
        "employee_id": world["subject"].pk,
        "review_id": world["review"].pk,
        "interaction_id": world["interaction"].pk,
        "token": world["token"],
        "session_id": world["session"].pk,
        "action_id": world["action"].pk,
        "calibration_id": world["calibration"].pk,
    }
    by_name = {
        "scorecards:team_dashboard": {"slug": world["team"].slug},
        "scorecards:change_impact": {"pk": world["event"].pk},
        "scorecards:alert_acknowledge": {"pk": world["alert"].pk},
        "customers:interaction_edit": {"pk": world["interaction"].pk},
        "customers:interaction_delete": {"pk": world["interaction"].pk},
        "customers:customer_detail": {"pk": world["customer"].pk},
        "customers:customer_export": {"pk": world["customer"].pk},
        "customers:customer_erase": {"pk": world["customer"].pk},
        "integrations:chatwoot_webhook": {
            "connection_uuid": world["connection"].uuid,
            "secret": world["connection"].secret,
        },
        "integrations:connection_detail": {"pk": world["connection"].pk},
        "integrations:connection_pause": {"pk": world["connection"].pk},
        "integrations:connection_reprocess": {"pk": world["connection"].pk},
        "integrations:event_detail": {
            "pk": world["connection"].pk,
            "event_pk": world["inbound_event"].pk,
        },
        "integrations:agent_map": {"agent_pk": world["external_agent"].pk},
        "customers:team_hours": {"slug": world["team"].slug},
        "imports:job": {"pk": world["import_job"].pk},
        "imports:run": {"pk": world["import_job"].pk},
        "imports:status": {"pk": world["import_job"].pk},
        "integrations:zendesk_settings": {"pk": world["zendesk_connection"].pk},
        "scorecards:change_edit": {"pk": world["event"].pk},
        "scorecards:change_delete": {"pk": world["event"].pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    }
    if name in by_name:
        return by_name[name]
    route = PAGE_PATTERNS[name]
    return {arg: value for arg, value in by_argument.items() if f":{arg}>" in route}


def _outcome(response) -> int | str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("login")):
        return "login"
    if response.status_code == 302 and location.startswith(reverse("admin:login")):
        return "admin-login"
    return response.status_code


def _sweep(client, world, name: str) -> tuple:
    """The outcome for each role, in ALL_ROLES order; each role's request is rolled back after."""
    url = reverse(name, kwargs=_kwargs(name, world))
    method = client.post if name in POST_ONLY else client.get
    seen = []
    for role in ALL_ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world["users"][role])
        with transaction.atomic():
            seen.append(_outcome(method(url)))
            transaction.set_rollback(True)
    return tuple(seen)


# Pages that only accept POST are swept with an empty POST (a GET answers 405 to everyone).
POST_ONLY = {
    "imports:run",
    "integrations:agent_map",
    "integrations:connection_pause",
    "integrations:connection_reprocess",
    "coaching:action_done",
    "coaching:session_acknowledge",
    "language_set",
    "logout",
    "qa:calibration_reference",
    "qa:calibration_session_close",
    "qa:follow_up_done",
    "qa:interaction_flag",
    "qa:interaction_review_start",
    "qa:review_dispute",
    "qa:review_seen",
    "scorecards:alert_acknowledge",
    "scorecards:editor_draft_new",
    "scorecards:editor_publish",
    "scorecards:onboarding_remind",
    "scorecards:rules_acknowledge",
}

L = "login"
# What each role of ROLES gets, in that order:
#   (anonymous, agent, manager_other, manager_own, onboarding, admin)
# 404 where the object exists but is not the role's to see (no hint that it exists), 403 where
# the whole page is not for the role.
EXPECTED = {
    # Password reset by e-mail is for anyone who can reach the sign-in page.
    "password_reset": (200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200),
    "password_reset_confirm": (200, 200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200),
    "scorecards:change_edit": (L, 403, 404, 200, 403, 200),
    "scorecards:change_delete": (L, 403, 404, 200, 403, 200),
    "scorecards:digest_preview": (L, 403, 200, 200, 403, 200),
    "coaching:action_done": (L, 404, 404, 302, 403, 302),
    "coaching:session_acknowledge": (L, 404, 404, 404, 403, 404),
    "coaching:session_detail": (L, 404, 404, 200, 403, 200),
    "coaching:session_list": (L, 200, 200, 200, 403, 200),
    "coaching:session_new": (L, 403, 200, 200, 403, 200),
    "customers:customer_detail": (L, 404, 404, 200, 403, 200),
    "customers:customer_erase": (L, 404, 404, 200, 403, 200),
    "customers:customer_export": (L, 404, 404, 200, 403, 200),
    "customers:customer_list": (L, 200, 200, 200, 403, 200),
    "customers:customer_search": (L, 200, 200, 200, 403, 200),
    "customers:interaction_delete": (L, 404, 404, 404, 403, 404),
    "customers:interaction_edit": (L, 404, 404, 404, 403, 404),
    "customers:interaction_list": (L, 200, 200, 200, 403, 200),
    "customers:interaction_log": (L, 200, 200, 200, 403, 200),
    "customers:team_hours": (L, 403, 404, 200, 403, 200),
    "health": (200, 200, 200, 200, 200, 200),
    "home": (L, 302, 302, 302, 302, 200),
    # Managers and admins import files; a manager sees the imports they uploaded.
    "imports:job": (L, 403, 404, 200, 403, 200),
    "imports:list": (L, 403, 200, 200, 403, 200),
    "imports:run": (L, 403, 404, 302, 403, 302),
    "imports:status": (L, 403, 404, 200, 403, 200),
    "integrations:agent_map": (L, 403, 403, 403, 403, 302),
    "integrations:agent_queue": (L, 403, 403, 403, 403, 200),
    # The webhook takes POSTs from Chatwoot only (tests/integrations): a GET is refused.
    "integrations:chatwoot_webhook": (405, 405, 405, 405, 405, 405),
    "integrations:connection_add": (L, 403, 403, 403, 403, 200),
    "integrations:connection_detail": (L, 403, 403, 403, 403, 200),
    "integrations:connection_list": (L, 403, 403, 403, 403, 200),
    "integrations:connection_pause": (L, 403, 403, 403, 403, 302),
    "integrations:connection_reprocess": (L, 403, 403, 403, 403, 302),
    "integrations:event_detail": (L, 403, 403, 403, 403, 200),
    "integrations:zendesk_add": (L, 403, 403, 403, 403, 200),
    "integrations:zendesk_settings": (L, 403, 403, 403, 403, 200),
    "language_set": (302, 302, 302, 302, 302, 302),
    "login": (200, 302, 302, 302, 302, 302),
    "logout": (L, L, L, L, L, L),
    "password_change": (L, 200, 200, 200, 200, 200),
    "password_change_done": (L, 200, 200, 200, 200, 200),
    "qa:calibration_detail": (L, 403, 404, 200, 403, 200),
    "qa:calibration_list": (L, 403, 200, 200, 403, 200),
    "qa:calibration_search": (L, 403, 200, 200, 403, 200),
    # A calibration session opens to its lead, its reviewers and administrators; the lead of an
    # open session is sent back to it (no references before the reveal).
    "qa:calibration_reference": (L, 403, 404, 302, 403, 302),
    "qa:calibration_session": (L, 403, 404, 200, 403, 200),
    "qa:calibration_session_close": (L, 403, 404, 302, 403, 302),
    "qa:calibration_session_new": (L, 403, 200, 200, 403, 200),
    "qa:calibration_sessions": (L, 403, 200, 200, 403, 200),
    "qa:consistency": (L, 403, 200, 200, 403, 200),
    "qa:follow_up_done": (L, 404, 404, 302, 404, 302),
    "qa:interaction_flag": (L, 404, 404, 302, 404, 302),
    "qa:interaction_review_start": (L, 403, 404, 302, 403, 302),
    "qa:my_follow_ups": (L, 200, 200, 200, 200, 200),
    "qa:my_reviews": (L, 200, 200, 200, 200, 200),
    "qa:queue": (L, 403, 200, 200, 403, 200),
    "qa:review_detail": (L, 404, 404, 200, 404, 200),
    "qa:review_dispute": (L, 404, 404, 400, 404, 400),
    "qa:review_edit": (L, 404, 404, 404, 404, 404),
    "qa:review_resolve": (L, 403, 404, 404, 403, 404),
    "qa:review_seen": (L, 404, 404, 404, 404, 404),
    "qa:sampling": (L, 403, 200, 200, 403, 200),
    "qa:team_follow_ups": (L, 403, 200, 200, 403, 200),
    "scorecards:agent_detail": (L, 404, 404, 200, 404, 200),
    "scorecards:agent_explain": (L, 404, 404, 200, 404, 200),
    "scorecards:agent_goal_delete": (L, 404, 404, 200, 404, 200),
    "scorecards:agent_goal_edit": (L, 404, 404, 200, 404, 200),
    "scorecards:agent_goal_new": (L, 404, 404, 200, 404, 200),
    "scorecards:agent_goals": (L, 404, 404, 200, 404, 200),
    "scorecards:alert_acknowledge": (L, 404, 404, 302, 404, 302),
    "scorecards:alert_list": (L, 403, 200, 200, 403, 200),
    "scorecards:change_create": (L, 403, 200, 200, 403, 200),
    "scorecards:change_impact": (L, 404, 404, 200, 404, 200),
    "scorecards:change_list": (L, 403, 200, 200, 403, 200),
    "scorecards:editor_draft_new": (L, 403, 403, 403, 403, 302),
    "scorecards:editor_preview": (L, 403, 403, 403, 403, 200),
    "scorecards:editor_publish": (L, 403, 403, 403, 403, 200),
    "scorecards:editor_version": (L, 403, 403, 403, 403, 200),
    "scorecards:editor_versions": (L, 403, 403, 403, 403, 200),
    "scorecards:me": (L, 200, 200, 200, 403, 200),
    "scorecards:my_explain": (L, 200, 200, 200, 403, 200),
    "scorecards:my_goal_delete": (L, 404, 404, 404, 403, 404),
    "scorecards:my_goal_edit": (L, 404, 404, 404, 403, 404),
    "scorecards:my_goal_new": (L, 200, 200, 200, 403, 200),
    "scorecards:my_goals": (L, 200, 200, 200, 403, 200),
    "scorecards:onboarding": (L, 403, 200, 200, 200, 200),
    "scorecards:onboarding_remind": (L, 403, 302, 302, 302, 302),
    "scorecards:rules_acknowledge": (L, 302, 302, 302, 302, 302),
    "scorecards:rules_detail": (L, 200, 200, 200, 200, 200),
    "scorecards:rules_list": (L, 200, 200, 200, 200, 200),
    "scorecards:team_compare": (L, 403, 200, 200, 403, 200),
    "scorecards:team_dashboard": (L, 404, 404, 200, 404, 200),
    "scorecards:team_list": (L, 403, 200, 200, 403, 200),
    "set_language": (302, 302, 302, 302, 302, 302),
    "surveys:comments": (L, 200, 200, 200, 403, 200),
    "surveys:opt_out": (200, 200, 200, 200, 200, 200),
    "surveys:survey": (200, 200, 200, 200, 200, 200),
    "surveys:thanks": (302, 302, 302, 302, 302, 302),
}


# The manager of team Old sees the subject's days in team Old only: none of the objects above,
# which are all of the subject's days in team A. The subject's page itself opens (it ends the
# day the subject left); everywhere else the answer is what the manager of another team gets.
MANAGER_OLD = {
    "scorecards:agent_detail": 200,
    "scorecards:agent_goals": 200,
}

# Accounts without a role reach these pages, as anyone signed in would; every other page is 403.
WITHOUT_ROLE_OPEN = {
    "health": 200,
    "language_set": 302,
    "login": 302,
    "logout": L,
    "password_change": 200,
    "password_change_done": 200,
    "set_language": 302,
    "surveys:opt_out": 200,
    "surveys:survey": 200,
    "surveys:thanks": 302,
}


def _expected(name: str) -> dict:
    first = dict(zip(ROLES, EXPECTED[name], strict=True))
    return {
        **first,
        "manager_old": MANAGER_OLD.get(name, first["manager_other"]),
        **{role: WITHOUT_ROLE_OPEN.get(name, 403) for role in WITHOUT_ROLE},
    }


def test_every_page_pattern_has_an_expectation():
    missing = sorted(set(PAGE_PATTERNS) - set(EXPECTED))
    stale = sorted(set(EXPECTED) - set(PAGE_PATTERNS))

    assert not missing, f"Add the expected status per role for new pages: {missing}"
    assert not stale, f"These pages are gone; drop their expectations: {stale}"


@pytest.mark.parametrize("name", sorted(PAGE_PATTERNS))
def test_each_role_gets_what_the_page_allows_it(client, world, name):
    if name not in EXPECTED:
        pytest.fail(f"No expectation for {name} ({PAGE_PATTERNS[name]})")

    assert dict(zip(ALL_ROLES, _sweep(client, world, name), strict=True)) == _expected(name)


@pytest.mark.parametrize("model", sorted(admin.site._registry, key=lambda m: m._meta.label))
def test_the_admin_is_for_staff_only(client, world, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for role in ("agent", "manager_own", "onboarding"):
        client.force_login(world["users"][role])
        assert _outcome(client.get(url)) == "admin-login", role
    # Staff, but deactivated: the admin is closed to them like every other page.
    client.force_login(world["users"]["manager_deactivated"])
    assert client.get(url).status_code == 403
    client.logout()
    assert _outcome(client.get(url)) == "admin-login"


@pytest.mark.parametrize(
    "name",
    [
        "customers:interaction_edit",
        "customers:interaction_delete",
        "qa:review_detail",
        "scorecards:my_goal_edit",
        "scorecards:my_goal_delete",
    ],
)
def test_the_subject_opens_its_own_objects_that_the_peer_cannot(client, world, name):
    # The 404s above are about who asks, not about broken objects: the owner gets the page.
    client.force_login(world["subject"].user)

    assert client.get(reverse(name, kwargs=_kwargs(name, world))).status_code == 200


@pytest.fixture
def old_day(world):
    """The subject's objects of a day in team Old: an interaction, its review and an alert."""
    opened = timezone.now() - dt.timedelta(days=40)
    interaction = InteractionFactory(
        employee=world["subject"],
        customer=CustomerFactory(),
        opened_at=opened,
        resolved_at=opened + dt.timedelta(hours=1),
        follow_up_due=timezone.localdate() - dt.timedelta(days=35),
        is_flagged_for_review=True,
    )
    return {
        "interaction": interaction,
        "review": PublishedQAReviewFactory(interaction=interaction, version=world["draft"]),
        "alert": AlertFactory(employee=world["subject"], team=None, day=opened.date()),
        "day": timezone.localtime(opened).date(),
    }


def test_the_old_manager_reads_the_days_in_the_old_team(client, world, old_day):
    client.force_login(world["users"]["manager_old"])
    subject = world["subject"].pk
    after_the_move = world["moved_on"] + dt.timedelta(days=1)

    for url in (
        reverse("customers:customer_detail", args=[old_day["interaction"].customer_id]),
        reverse("qa:review_detail", args=[old_day["review"].pk]),
        reverse("scorecards:agent_explain", args=[subject, old_day["day"].isoformat()]),
    ):
        assert client.get(url).status_code == 200, url
    assert (
        client.get(
            reverse("scorecards:agent_explain", args=[subject, after_the_move.isoformat()])
        ).status_code
        == 404
    )
    alerts = client.get(reverse("scorecards:alert_list"), {"status": "all"})
    assert old_day["alert"] in alerts.context["page"].object_list
    # The subject's page ends the day they left, with nothing of their days in team A.
    overview = client.get(reverse("scorecards:agent_detail", args=[subject])).context["overview"]
    assert overview.today == world["moved_on"] - dt.timedelta(days=1)
    assert overview.interactions == [old_day["interaction"]]
    assert overview.reviews == [old_day["review"]]


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("qa:follow_up_done", "interaction"),
        ("qa:interaction_flag", "interaction"),
        ("qa:interaction_review_start", "interaction"),
        ("scorecards:alert_acknowledge", "alert"),
    ],
)
def test_the_old_manager_writes_nothing_about_a_former_member(client, world, old_day, name, target):
    client.force_login(world["users"]["manager_old"])
    kwargs = {"pk": old_day["alert"].pk} if target == "alert" else {}
    kwargs = kwargs or {"interaction_id": old_day["interaction"].pk}

    assert client.post(reverse(name, kwargs=kwargs)).status_code == 404
    # The object is there: an admin may act on it.
    client.force_login(world["users"]["admin"])
    assert client.post(reverse(name, kwargs=kwargs)).status_code == 302


def test_the_old_manager_cannot_publish_a_draft_about_a_former_member(client, world, old_day):
    from feedback.qa_services import qa_review_start

    manager = world["users"]["manager_old"]
    draft = qa_review_start(interaction=old_day["interaction"], reviewer=manager.employee)
    client.force_login(manager)

    assert client.get(reverse("qa:review_edit", args=[draft.pk])).status_code == 404
