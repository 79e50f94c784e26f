import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from scorecards import tasks
from scorecards.choices import MetricCode, VersionStatus
from scorecards.models import (
    DirtyDay,
    Metric,
    QACriterion,
    RuleAcknowledgement,
    ScorecardVersion,
)
from scorecards.selectors.onboarding import onboarding_employees
from scorecards.selectors.rules import version_changes
from scorecards.services.rules import rule_acknowledge
from staff.choices import Role
from staff.models import Employee
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    MetricFactory,
    PublishedVersionFactory,
    QACriterionFactory,
    RuleAcknowledgementFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
METRICS = [
    {
        "code": MetricCode.FCR,
        "label": "First contact resolution",
        "weight": 3,
        "target": 80,
        "floor": 40,
        "min_sample": 2,
        "rule_what": "Share of contacts solved the first time.",
        "rule_how": "Ask one more question before you close.",
        "translations": {"lv": {"label": "Atrisināts pirmajā kontaktā"}},
    },
    {"code": MetricCode.CSAT, "label": "Customer satisfaction", "target": 90, "floor": 50},
]
CRITERIA = [
    {
        "code": "greeting",
        "label": "Greeting",
        "description": "Name, company, offer to help.",
        "examples": "Good morning, Acme support, this is Anna.",
    },
    {"code": "courtesy", "label": "Courtesy", "is_critical": True, "weight": 2},
]


@pytest.fixture
def version():
    return PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Support", slug="support"),
        number=1,
        effective_from=TODAY - dt.timedelta(days=400),
        intro="Welcome to the support team.",
        metrics=METRICS,
        criteria=CRITERIA,
    )


@pytest.fixture
def team(version):
    return TeamFactory(name="Riga support", scorecard=version.scorecard)


@pytest.fixture
def agent(team):
    employee = EmployeeFactory(role=Role.AGENT, user=UserFactory(username="agent"))
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def manager(team):
    employee = EmployeeFactory(role=Role.MANAGER, user=UserFactory(username="manager"))
    team.managers.add(employee)
    return employee


@pytest.fixture
def onboarding_staff(db):
    return EmployeeFactory(role=Role.ONBOARDING, user=UserFactory(username="onboarding"))


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return EmployeeFactory(role=Role.ADMIN, user=user)


@pytest.fixture
def other_scorecard(db):
    version = PublishedVersionFactory(
        scorecard=ScorecardFactory(name="Sales", slug="sales"),
        number=1,
        effective_from=TODAY - dt.timedelta(days=30),
    )
    TeamFactory(name="Sales team", scorecard=version.scorecard)
    return version.scorecard


def signed_in(client, employee):
    client.force_login(employee.user)
    return client


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# ---- rules page ----------------------------------------------------------------------------


def test_rules_page_explains_each_metric_criterion_and_band_of_the_version_in_force(
    client, agent, version
):
    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.status_code == 200
    rules = response.context["rules"]
    assert rules.version == version
    assert [metric.code for metric in rules.metrics] == [MetricCode.FCR, MetricCode.CSAT]
    fcr = rules.metrics[0]
    assert (fcr.target, fcr.floor, fcr.weight, fcr.min_sample) == (80, 40, 3, 2)
    assert fcr.weight_share == 75
    assert fcr.how == "Ask one more question before you close."
    page = response.content.decode()
    assert "Welcome to the support team." in page
    assert "Of the interactions resolved that day, the share resolved on the first contact." in page
    assert "Share of contacts solved the first time." in page
    assert "Counts on days with at least 2 cases." in page
    assert "Good morning, Acme support, this is Anna." in page
    assert 'data-criterion="courtesy"' in page
    assert "Critical" in page
    assert "a total of 80 or more" in page
    assert "a total below 60" in page


def test_rules_page_speaks_the_readers_language(client, agent):
    agent.language = "lv"
    agent.save()

    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.context["rules"].metrics[0].label == "Atrisināts pirmajā kontaktā"
    assert response.context["rules"].metrics[1].label == "Customer satisfaction"
    assert 'lang="lv"' in response.content.decode()


def test_agent_reads_only_the_rules_of_their_own_team(client, agent, other_scorecard):
    client = signed_in(client, agent)

    assert client.get(reverse("scorecards:rules_detail", args=["sales"])).status_code == 404
    listed = client.get(reverse("scorecards:rules_list")).context["scorecards"]
    assert [scorecard.slug for scorecard in listed] == ["support"]


@pytest.mark.parametrize("role", ["manager", "onboarding_staff", "admin"])
def test_managers_onboarding_staff_and_admins_read_every_scorecard(
    client, request, role, version, other_scorecard
):
    client = signed_in(client, request.getfixturevalue(role))

    assert client.get(reverse("scorecards:rules_detail", args=["sales"])).status_code == 200
    listed = client.get(reverse("scorecards:rules_list")).context["scorecards"]
    assert [scorecard.slug for scorecard in listed] == ["sales", "support"]


def test_rules_pages_need_a_sign_in(client, version):
    response = client.get(reverse("scorecards:rules_detail", args=["support"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_acknowledging_records_the_version_once_and_shows_the_date(client, agent, version):
    client = signed_in(client, agent)
    url = reverse("scorecards:rules_acknowledge", args=["support"])

    client.post(url, {"version": version.pk})
    first = RuleAcknowledgement.objects.get(employee=agent, version=version).acknowledged_at
    response = client.post(url, {"version": version.pk}, follow=True)

    assert RuleAcknowledgement.objects.get(employee=agent, version=version).acknowledged_at == first
    assert response.context["rules"].acknowledged_at == first
    assert 'data-testid="acknowledged"' in response.content.decode()
    assert 'data-testid="acknowledge"' not in response.content.decode()
    assert client.get(reverse("scorecards:rules_list")).context["scorecards"][0].acknowledged_at


def test_acknowledging_rules_that_changed_meanwhile_records_nothing(client, agent, version):
    response = signed_in(client, agent).post(
        reverse("scorecards:rules_acknowledge", args=["support"]),
        {"version": version.pk + 1000},
        follow=True,
    )

    assert not RuleAcknowledgement.objects.exists()
    assert "The rules changed while you were reading" in response.content.decode()


def test_acknowledging_another_teams_rules_is_not_found(client, agent, other_scorecard):
    version = other_scorecard.versions.get()
    response = signed_in(client, agent).post(
        reverse("scorecards:rules_acknowledge", args=["sales"]), {"version": version.pk}
    )

    assert response.status_code == 404
    assert not RuleAcknowledgement.objects.exists()


def test_only_published_rules_can_be_acknowledged(agent, version):
    draft = ScorecardVersionFactory(scorecard=version.scorecard, number=2)

    with pytest.raises(Exception, match="Only published rules"):
        rule_acknowledge(employee=agent, version=draft)


def _second_version(version, **changes) -> ScorecardVersion:
    second = PublishedVersionFactory(
        scorecard=version.scorecard,
        number=2,
        effective_from=TODAY - dt.timedelta(days=10),
        sla_minutes=30,
        change_summary="Faster answers, QA counts.",
        metrics=[
            {**METRICS[0], "weight": 2, "rule_how": "Summarise the fix before closing."},
            {"code": MetricCode.QA, "label": "Quality review", "target": 85, "floor": 50},
        ],
        criteria=[{**CRITERIA[1], "is_critical": False}],
        publish=False,
        **changes,
    )
    ScorecardVersion.objects.filter(pk=second.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    return ScorecardVersion.objects.prefetch_related("metrics", "qa_criteria").get(pk=second.pk)


def test_version_history_says_what_changed_between_versions(client, agent, version):
    _second_version(version)

    response = signed_in(client, agent).get(reverse("scorecards:rules_detail", args=["support"]))

    history = response.context["rules"].history
    assert [entry.version.number for entry in history] == [2, 1]
    assert history[0].is_in_force
    assert not history[1].is_in_force
    changes = {(c.part, c.kind, c.subject, c.field, c.before, c.after) for c in history[0].changes}
    assert changes == {
        ("version", "changed", "Support v2", "response SLA (minutes)", 60, 30),
        ("metric", "changed", "First contact resolution", "weight", Decimal(3), Decimal(2)),
        ("metric", "reworded", "First contact resolution", "how to do well", None, None),
        ("metric", "added", "Quality review", "", None, None),
        ("metric", "removed", "Customer satisfaction", "", None, None),
        ("criterion", "changed", "Courtesy", "critical", True, False),
        ("criterion", "removed", "Greeting", "", None, None),
    }
    page = response.content.decode()
    assert "Faster answers, QA counts." in page
    assert "Metric added: Quality review" in page
    assert "First contact resolution, weight:" in page


def test_version_changes_are_empty_between_identical_versions(version):
    loaded = ScorecardVersion.objects.prefetch_related("metrics", "qa_criteria").get(pk=version.pk)

    assert version_changes(before=loaded, after=loaded, language="en") == []


def test_an_upcoming_version_is_in_the_history_but_not_in_force(client, agent, version):
    upcoming = PublishedVersionFactory(
        scorecard=version.scorecard, number=2, effective_from=TODAY + dt.timedelta(days=7)
    )

    rules = (
        signed_in(client, agent)
        .get(reverse("scorecards:rules_detail", args=["support"]))
        .context["rules"]
    )

    assert rules.version == version
    assert rules.history[0].version == upcoming
    assert rules.history[0].is_upcoming


def test_a_scorecard_without_rules_in_force_says_so(client, manager):
    ScorecardFactory(name="New", slug="new")

    response = signed_in(client, manager).get(reverse("scorecards:rules_detail", args=["new"]))

    assert response.status_code == 200
    assert "has no rules in force yet" in response.content.decode()


def test_rules_page_query_count_does_not_grow_with_versions(
    client, agent, version, django_assert_max_num_queries
):
    client = signed_in(client, agent)
    url = reverse("scorecards:rules_detail", args=["support"])
    few = count_queries(client, url)
    for number in range(2, 10):
        PublishedVersionFactory(
            scorecard=version.scorecard,
            number=number,
            effective_from=TODAY - dt.timedelta(days=100 - number),
            metrics=METRICS,
            criteria=CRITERIA,
        )

    with django_assert_max_num_queries(9):
        response = client.get(url)

    assert len(response.context["rules"].history) == 9
    assert count_queries(client, url) == few


def test_rules_list_query_count_does_not_grow_with_scorecards(
    client, manager, django_assert_max_num_queries
):
    client = signed_in(client, manager)
    url = reverse("scorecards:rules_list")
    few = count_queries(client, url)
    for _number in range(8):
        PublishedVersionFactory(scorecard=ScorecardFactory(), effective_from=dt.date(2020, 1, 1))

    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert len(response.context["scorecards"]) == 9
    assert count_queries(client, url) == few


# ---- onboarding ----------------------------------------------------------------------------


def _member(team, *, username, hired_days_ago, email=True, language="en"):
    employee = EmployeeFactory(
        user=UserFactory(username=username, email=f"{username}@example.com" if email else ""),
        hire_date=TODAY - dt.timedelta(days=hired_days_ago),
        language=language,
    )
    TeamMembershipFactory(employee=employee, team=team)
    return employee


@pytest.fixture
def people(team, version):
    new_hire = _member(team, username="new", hired_days_ago=10)
    acknowledged_new_hire = _member(team, username="newdone", hired_days_ago=20)
    RuleAcknowledgementFactory(employee=acknowledged_new_hire, version=version)
    veteran_pending = _member(team, username="veteran", hired_days_ago=900)
    veteran_done = _member(team, username="veterandone", hired_days_ago=900)
    RuleAcknowledgementFactory(employee=veteran_done, version=version)
    return {
        "new": new_hire,
        "newdone": acknowledged_new_hire,
        "veteran": veteran_pending,
        "veterandone": veteran_done,
    }


def _listed(response) -> list[str]:
    return [person.user.username for person in response.context["page"].object_list]


def test_onboarding_lists_new_hires_and_everyone_yet_to_acknowledge(
    client, onboarding_staff, people
):
    response = signed_in(client, onboarding_staff).get(reverse("scorecards:onboarding"))

    assert response.status_code == 200
    assert sorted(_listed(response)) == ["new", "newdone", "veteran"]
    rows = {person.user.username: person for person in response.context["page"].object_list}
    assert rows["new"].is_pending
    assert rows["new"].is_new_hire
    assert rows["newdone"].acknowledged_at is not None
    assert not rows["newdone"].is_pending
    assert rows["veteran"].is_pending
    assert not rows["veteran"].is_new_hire
    assert response.context["pending_count"] == 2


def test_onboarding_filters_and_sorts(client, onboarding_staff, people):
    client = signed_in(client, onboarding_staff)
    url = reverse("scorecards:onboarding")

    assert sorted(_listed(client.get(url, {"show": "pending"}))) == ["new", "veteran"]
    assert _listed(client.get(url, {"show": "new", "sort": "hire_date"})) == ["new", "newdone"]
    assert _listed(client.get(url, {"sort": "name"})) == sorted(
        ["new", "newdone", "veteran"],
        key=lambda name: (people[name].user.first_name, people[name].user.last_name),
    )
    assert sorted(_listed(client.get(url, {"show": "nonsense"}))) == ["new", "newdone", "veteran"]


def test_onboarding_says_so_when_nobody_is_waiting(client, onboarding_staff, version):
    response = signed_in(client, onboarding_staff).get(reverse("scorecards:onboarding"))

    assert "Nothing to chase" in response.content.decode()


def test_a_manager_sees_only_their_own_teams_people(client, manager, people, other_scorecard):
    _member(other_scorecard.teams.get(), username="elsewhere", hired_days_ago=5)

    response = signed_in(client, manager).get(reverse("scorecards:onboarding"))

    assert sorted(_listed(response)) == ["new", "newdone", "veteran"]


def test_agents_cannot_open_the_onboarding_page(client, agent):
    client = signed_in(client, agent)

    assert client.get(reverse("scorecards:onboarding")).status_code == 403
    assert client.post(reverse("scorecards:onboarding_remind")).status_code == 403
    assert onboarding_employees(user=agent.user, day=TODAY).count() == 0


@pytest.fixture
def queued_reminders(monkeypatch):
    """The reminder tasks published at commit, run in-process on demand (no broker here)."""
    published = []
    monkeypatch.setattr(
        tasks.onboarding_reminder_send,
        "apply_async",
        lambda args, retry: published.append(args),
    )

    def run():
        while published:
            tasks.onboarding_reminder_send.apply(args=published.pop(0))

    return run


def _remind(client, data, capture):
    with capture(execute=True):
        return client.post(reverse("scorecards:onboarding_remind"), data, follow=True)


def test_reminding_one_person_mails_them_the_rules_link_through_the_worker(
    client, onboarding_staff, people, queued_reminders, django_capture_on_commit_callbacks
):
    response = _remind(
        signed_in(client, onboarding_staff),
        {"employee": people["veteran"].pk},
        django_capture_on_commit_callbacks,
    )
    assert mail.outbox == []  # the request only queues it
    queued_reminders()

    assert [message.to for message in mail.outbox] == [["veteran@example.com"]]
    assert "Support" in mail.outbox[0].subject
    assert "http://testserver/rules/support/" in mail.outbox[0].body
    assert "Version 1 of the Support scorecard" in mail.outbox[0].body
    assert "1 reminder is on its way." in response.content.decode()
    people["veteran"].refresh_from_db()
    assert people["veteran"].rules_reminded_at is not None


def test_a_person_gets_one_reminder_a_day_however_often_it_is_asked_for(
    client, onboarding_staff, people, queued_reminders, django_capture_on_commit_callbacks
):
    client = signed_in(client, onboarding_staff)
    veteran = {"employee": people["veteran"].pk}

    _remind(client, veteran, django_capture_on_commit_callbacks)
    _remind(client, veteran, django_capture_on_commit_callbacks)  # before the worker ran
    queued_reminders()
    again = _remind(client, veteran, django_capture_on_commit_callbacks)
    queued_reminders()

    assert [message.to for message in mail.outbox] == [["veteran@example.com"]]
    assert "1 person was already reminded today" in again.content.decode()
    page = client.get(reverse("scorecards:onboarding"), {"show": "pending"}).content.decode()
    sent_at = Employee.objects.get(pk=people["veteran"].pk).rules_reminded_at
    assert date_format(timezone.localtime(sent_at), "SHORT_DATETIME_FORMAT") in page


def test_a_reminder_sent_yesterday_does_not_hold_back_todays(
    client, onboarding_staff, people, queued_reminders, django_capture_on_commit_callbacks
):
    Employee.objects.filter(pk=people["veteran"].pk).update(
        rules_reminded_at=timezone.now() - dt.timedelta(days=1, hours=1)
    )

    _remind(
        signed_in(client, onboarding_staff),
        {"employee": people["veteran"].pk},
        django_capture_on_commit_callbacks,
    )
    queued_reminders()

    assert [message.to for message in mail.outbox] == [["veteran@example.com"]]


def test_reminding_everyone_listed_skips_who_has_acknowledged_or_has_no_address(
    client, onboarding_staff, people, team, queued_reminders, django_capture_on_commit_callbacks
):
    _member(team, username="noaddress", hired_days_ago=3, email=False)

    response = _remind(
        signed_in(client, onboarding_staff), {"show": "all"}, django_capture_on_commit_callbacks
    )
    queued_reminders()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "new@example.com",
        "veteran@example.com",
    ]
    page = response.content.decode()
    assert "2 reminders are on their way." in page
    assert "1 person has no e-mail address" in page


def test_reminding_someone_already_done_sends_nothing(client, onboarding_staff, people):
    response = signed_in(client, onboarding_staff).post(
        reverse("scorecards:onboarding_remind"), {"employee": people["newdone"].pk}, follow=True
    )

    assert mail.outbox == []
    assert "Nobody listed is waiting" in response.content.decode()


def test_a_manager_cannot_remind_someone_outside_their_teams(client, manager, other_scorecard):
    outsider = _member(other_scorecard.teams.get(), username="outsider", hired_days_ago=5)

    response = signed_in(client, manager).post(
        reverse("scorecards:onboarding_remind"), {"employee": outsider.pk}
    )

    assert response.status_code == 404
    assert mail.outbox == []


def test_the_onboarding_list_disappears_once_acknowledged(client, onboarding_staff, people):
    rule_acknowledge(
        employee=people["veteran"],
        version=people["veteran"].memberships.get().team.scorecard.versions.get(),
    )

    response = signed_in(client, onboarding_staff).get(
        reverse("scorecards:onboarding"), {"show": "pending"}
    )

    assert _listed(response) == ["new"]


def test_onboarding_query_count_does_not_grow_with_people(
    client, onboarding_staff, team, version, django_assert_max_num_queries
):
    client = signed_in(client, onboarding_staff)
    url = reverse("scorecards:onboarding")
    for n in range(5):
        _member(team, username=f"hire{n}", hired_days_ago=n)
    few = count_queries(client, url)
    for n in range(5, 50):
        _member(team, username=f"hire{n}", hired_days_ago=n)

    with django_assert_max_num_queries(7):
        response = client.get(url)

    assert response.context["page"].paginator.count == 50
    assert count_queries(client, url) == few


# ---- scorecard editor ----------------------------------------------------------------------


@pytest.fixture
def editing_manager(manager):
    manager.user.user_permissions.add(Permission.objects.get(codename="change_scorecardversion"))
    return manager


def _draft(version) -> ScorecardVersion:
    draft = ScorecardVersionFactory(
        scorecard=version.scorecard, number=2, effective_from=TODAY + dt.timedelta(days=1)
    )
    MetricFactory(version=draft, code=MetricCode.FCR, weight=3, target=80, floor=40)
    MetricFactory(version=draft, code=MetricCode.CSAT, weight=1, target=90, floor=50)
    QACriterionFactory(version=draft, code="greeting", label="Greeting")
    return draft


def _draft_data(draft, **overrides) -> dict:
    """Return the editor form as the browser would post it, with the given fields changed."""
    metrics = list(draft.metrics.all())
    criteria = list(draft.qa_criteria.all())
    data = {
        "version-sla_minutes": draft.sla_minutes,
        "version-green_from": draft.green_from,
        "version-amber_from": draft.amber_from,
        "version-intro": draft.intro,
        "version-change_summary": "Faster answers.",
        "metrics-TOTAL_FORMS": len(metrics) + 1,
        "metrics-INITIAL_FORMS": len(metrics),
        "metrics-MIN_NUM_FORMS": 0,
        "metrics-MAX_NUM_FORMS": 1000,
        "criteria-TOTAL_FORMS": len(criteria) + 1,
        "criteria-INITIAL_FORMS": len(criteria),
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 1000,
    }
    for index, metric in enumerate(metrics):
        for name in ("code", "label", "weight", "target", "floor", "min_sample"):
            data[f"metrics-{index}-{name}"] = getattr(metric, name)
        data[f"metrics-{index}-id"] = metric.pk
    for index, criterion in enumerate(criteria):
        for name in ("code", "label", "weight"):
            data[f"criteria-{index}-{name}"] = getattr(criterion, name)
        data[f"criteria-{index}-id"] = criterion.pk
    # The empty rows for a new metric and criterion, with the defaults the browser shows.
    data[f"metrics-{len(metrics)}-min_sample"] = 1
    data[f"criteria-{len(criteria)}-weight"] = 1
    data.update(overrides)
    return data


def _edit_url(draft) -> str:
    return reverse("scorecards:editor_version", args=[draft.scorecard.slug, draft.number])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("agent", 403),
        ("onboarding_staff", 403),
        ("manager", 403),
        ("editing_manager", 200),
        ("admin", 200),
    ],
)
def test_only_admins_and_permitted_managers_reach_the_editor(
    client, request, version, role, status
):
    client = signed_in(client, request.getfixturevalue(role))
    draft = _draft(version)

    for url in (
        reverse("scorecards:editor_versions", args=["support"]),
        _edit_url(draft),
        reverse("scorecards:editor_preview", args=["support", draft.number]),
    ):
        assert client.get(url).status_code == status
    if status == 403:
        assert (
            client.post(reverse("scorecards:editor_draft_new", args=["support"])).status_code == 403
        )
        response = client.post(
            reverse("scorecards:editor_publish", args=["support", draft.number]),
            {"effective_from": TODAY.isoformat()},
        )
        assert response.status_code == 403
        assert ScorecardVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_versions_list_marks_the_version_in_force(client, admin, version):
    draft = _draft(version)

    response = signed_in(client, admin).get(reverse("scorecards:editor_versions", args=["support"]))

    versions = response.context["versions"]
    assert [(v.number, v.is_in_force, v.metric_count, v.criterion_count) for v in versions] == [
        (draft.number, False, 2, 1),
        (1, True, 2, 2),
    ]


def test_new_draft_copies_the_version_in_force(client, admin, version):
    response = signed_in(client, admin).post(
        reverse("scorecards:editor_draft_new", args=["support"])
    )

    draft = ScorecardVersion.objects.get(scorecard=version.scorecard, number=2)
    assert response["Location"] == _edit_url(draft)
    assert draft.status == VersionStatus.DRAFT
    assert sorted(draft.metrics.values_list("code", flat=True)) == sorted(
        version.metrics.values_list("code", flat=True)
    )


def test_new_draft_of_a_scorecard_without_versions_starts_empty(client, admin):
    scorecard = ScorecardFactory(slug="blank")

    signed_in(client, admin).post(reverse("scorecards:editor_draft_new", args=["blank"]))

    draft = scorecard.versions.get()
    assert (draft.number, draft.status, draft.metrics.count()) == (1, VersionStatus.DRAFT, 0)


def test_saving_a_draft_changes_adds_and_removes_metrics_and_criteria(client, admin, version):
    draft = _draft(version)
    data = _draft_data(
        draft,
        **{
            "version-sla_minutes": 30,
            "metrics-0-weight": "2.5",
            "metrics-0-rule_how": "Summarise before closing.",
            "metrics-1-DELETE": "on",
            "metrics-2-code": MetricCode.QA,
            "metrics-2-weight": "1",
            "metrics-2-target": "85",
            "metrics-2-floor": "50",
            "metrics-2-min_sample": "1",
            "criteria-1-code": "courtesy",
            "criteria-1-label": "Courtesy",
            "criteria-1-weight": "2",
            "criteria-1-is_critical": "on",
        },
    )

    response = signed_in(client, admin).post(_edit_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.sla_minutes, draft.change_summary) == (30, "Faster answers.")
    metrics = {m.code: m for m in draft.metrics.all()}
    assert set(metrics) == {MetricCode.FCR, MetricCode.QA}
    assert metrics[MetricCode.FCR].weight == Decimal("2.5")
    assert metrics[MetricCode.FCR].rule_how == "Summarise before closing."
    assert metrics[MetricCode.QA].label == "Quality review"
    assert [m.code for m in draft.metrics.order_by("position")] == [MetricCode.FCR, MetricCode.QA]
    criteria = {c.code: c for c in draft.qa_criteria.all()}
    assert set(criteria) == {"greeting", "courtesy"}
    assert criteria["courtesy"].is_critical


@pytest.mark.parametrize(
    ("overrides", "form", "field", "message"),
    [
        ({"metrics-0-weight": "0"}, "metric", "weight", "The weight must be more than 0."),
        ({"metrics-0-floor": "80"}, "metric", "floor", "The floor must differ from the target"),
        ({"metrics-0-target": "120"}, "metric", "target", "This metric runs from 0 to 100."),
        ({"metrics-1-code": MetricCode.FCR}, "metric", "code", "is listed twice"),
        ({"version-amber_from": "85"}, "version", "amber_from", "Amber must start below green"),
        ({"version-sla_minutes": "0"}, "version", "sla_minutes", "at least one minute"),
        ({"criteria-0-weight": "-1"}, "criterion", "weight", "The weight must be more than 0."),
        ({"metrics-0-floor": "sNaN"}, "metric", "floor", "Enter a number."),
        ({"metrics-0-target": "NaN"}, "metric", "target", "Enter a number."),
        ({"metrics-0-weight": "Infinity"}, "metric", "weight", "Enter a number."),
        ({"criteria-0-weight": "sNaN"}, "criterion", "weight", "Enter a number."),
        ({"version-green_from": "sNaN"}, "version", "green_from", "Enter a number."),
    ],
)
def test_invalid_drafts_show_the_error_at_the_field_and_save_nothing(
    client, admin, version, overrides, form, field, message
):
    draft = _draft(version)
    before = list(Metric.objects.filter(version=draft).values().order_by("pk"))

    response = signed_in(client, admin).post(_edit_url(draft), _draft_data(draft, **overrides))

    assert response.status_code == 200
    if form == "version":
        errors = response.context["version_form"].errors[field]
    else:
        formset = response.context[f"{form}_formset"]
        errors = [e for f in formset.forms for e in f.errors.get(field, [])]
    assert any(message in error for error in errors), errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert list(Metric.objects.filter(version=draft).values().order_by("pk")) == before
    draft.refresh_from_db()
    assert draft.change_summary == ""


def test_removing_every_metric_is_refused(client, admin, version):
    draft = _draft(version)

    response = signed_in(client, admin).post(
        _edit_url(draft),
        _draft_data(draft, **{"metrics-0-DELETE": "on", "metrics-1-DELETE": "on"}),
    )

    assert "Keep at least one metric" in str(response.context["metric_formset"].non_form_errors())
    assert draft.metrics.count() == 2


def test_a_published_version_is_read_only(client, admin, version):
    client = signed_in(client, admin)
    url = _edit_url(version)

    page = client.get(url)
    response = client.post(url, _draft_data(version, **{"version-sla_minutes": 5}))

    assert 'data-testid="read-only"' in page.content.decode()
    assert 'data-testid="draft-form"' not in page.content.decode()
    assert "A published version cannot be changed" in response.content.decode()
    version.refresh_from_db()
    assert version.sla_minutes == 60


def test_publishing_freezes_the_draft_from_the_chosen_day(client, admin, version):
    draft = _draft(version)
    day = TODAY + dt.timedelta(days=14)

    response = signed_in(client, admin).post(
        reverse("scorecards:editor_publish", args=["support", draft.number]),
        {"effective_from": day.isoformat()},
        follow=True,
    )

    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == (VersionStatus.PUBLISHED, day)
    assert 'data-testid="read-only"' in response.content.decode()


def test_publishing_on_a_taken_day_or_before_2000_is_refused_at_the_date(client, admin, version):
    draft = _draft(version)
    client = signed_in(client, admin)
    url = reverse("scorecards:editor_publish", args=["support", draft.number])
    PublishedVersionFactory(
        scorecard=version.scorecard, number=3, effective_from=TODAY + dt.timedelta(days=5)
    )

    ancient = client.post(url, {"effective_from": "1999-12-31", "confirm_rescore": "on"})
    taken = client.post(url, {"effective_from": (TODAY + dt.timedelta(days=5)).isoformat()})

    assert "Enter a date from" in str(ancient.context["publish_form"].errors["effective_from"])
    assert "already takes effect on" in str(taken.context["publish_form"].errors["effective_from"])
    assert ScorecardVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_a_back_dated_publication_says_how_many_days_it_rescores_before_it_does(
    client, admin, version, team, agent
):
    draft = _draft(version)
    client = signed_in(client, admin)
    url = reverse("scorecards:editor_publish", args=["support", draft.number])
    since = TODAY - dt.timedelta(days=3)
    data = {"effective_from": since.isoformat()}

    unconfirmed = client.post(url, data)

    errors = str(unconfirmed.context["publish_form"].errors["confirm_rescore"])
    # The agent's days from three days ago up to today.
    assert "rescores 4 employee-days already scored" in errors
    assert 'data-testid="confirm-rescore"' in unconfirmed.content.decode()
    assert ScorecardVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert not DirtyDay.objects.exists()

    client.post(url, {**data, "confirm_rescore": "on"})

    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == (VersionStatus.PUBLISHED, since)
    assert set(DirtyDay.objects.values_list("employee_id", "day")) == {
        (agent.pk, since + dt.timedelta(days=n)) for n in range(4)
    }


def _scored_days(version, team, employees, days):
    for employee in employees:
        for offset in range(1, days + 1):
            EmployeeDailyScoreFactory(
                employee=employee,
                team=team,
                version=version,
                day=TODAY - dt.timedelta(days=offset),
                fcr_num=3,
                fcr_den=4,
                csat_num=4,
                csat_den=5,
            )


def test_preview_compares_the_draft_with_the_version_in_force(client, admin, version, team, agent):
    _scored_days(version, team, [agent], days=3)
    draft = _draft(version)
    Metric.objects.filter(version=draft, code=MetricCode.FCR).update(target=70)

    response = signed_in(client, admin).get(
        reverse("scorecards:editor_preview", args=["support", draft.number])
    )

    [team_row] = response.context["team_rows"]
    [person] = response.context["employee_rows"]
    assert team_row.name == "Riga support"
    assert person.name == agent.full_name
    # FCR 75 % and CSAT 80 %: v1 (80/40 w3, 90/50 w1) → 87.5·3 + 75·1 / 4; the draft's FCR
    # target of 70 makes FCR score 100.
    assert person.totals.current_total == Decimal("84.38")
    assert person.totals.draft_total == Decimal("93.75")
    assert person.totals.days == 3
    assert "+9.4" in response.content.decode()


def test_preview_shows_a_manager_only_their_own_people(
    client, editing_manager, version, team, agent
):
    stranger_team = TeamFactory(scorecard=version.scorecard)
    stranger = EmployeeFactory()
    TeamMembershipFactory(employee=stranger, team=stranger_team)
    _scored_days(version, team, [agent], days=2)
    _scored_days(version, stranger_team, [stranger], days=2)

    response = signed_in(client, editing_manager).get(
        reverse("scorecards:editor_preview", args=["support", 1])
    )

    assert [row.name for row in response.context["team_rows"]] == ["Riga support"]
    assert [row.name for row in response.context["employee_rows"]] == [agent.full_name]


def test_preview_query_count_does_not_grow_with_people_or_days(
    client, admin, version, team, django_assert_max_num_queries
):
    draft = _draft(version)
    client = signed_in(client, admin)
    url = reverse("scorecards:editor_preview", args=["support", draft.number])
    members = [_member(team, username=f"p{n}", hired_days_ago=500) for n in range(50)]
    _scored_days(version, team, members[:5], days=7)
    few = count_queries(client, url)
    _scored_days(version, team, members[5:], days=30)

    with django_assert_max_num_queries(11):
        response = client.get(url)

    assert len(response.context["employee_rows"]) == 50
    assert count_queries(client, url) == few


@pytest.mark.parametrize("extra", [0, 8])
def test_editor_pages_query_count_does_not_grow_with_versions_or_rows(
    client, admin, version, extra, django_assert_max_num_queries
):
    draft = _draft(version)
    for number in range(extra):
        PublishedVersionFactory(
            scorecard=version.scorecard,
            number=10 + number,
            effective_from=TODAY - dt.timedelta(days=300 - number),
        )
        QACriterionFactory(version=draft)
    client = signed_in(client, admin)

    with django_assert_max_num_queries(8):
        client.get(reverse("scorecards:editor_versions", args=["support"]))
    with django_assert_max_num_queries(10):
        client.get(_edit_url(draft))
    with django_assert_max_num_queries(10):
        client.get(_edit_url(version))


def test_criteria_keep_their_codes_unique(client, admin, version):
    draft = _draft(version)

    response = signed_in(client, admin).post(
        _edit_url(draft),
        _draft_data(
            draft,
            **{"criteria-1-code": "greeting", "criteria-1-label": "Again", "criteria-1-weight": 1},
        ),
    )

    assert response.status_code == 200
    assert QACriterion.objects.filter(version=draft).count() == 1


WARNING = "A minimum sample of 1 lets a single interaction or survey answer swing"


def _warnings(response) -> list[str]:
    return [
        warning for form in response.context["metric_formset"].forms for warning in form.warnings()
    ]


def test_a_minimum_sample_of_1_on_a_percentage_is_saved_with_a_warning(client, admin, version):
    draft = _draft(version)
    client = signed_in(client, admin)
    data = _draft_data(
        draft,
        **{
            "metrics-0-min_sample": "1",  # fcr, a percentage
            "metrics-1-min_sample": "5",  # csat, a percentage
            "metrics-2-code": MetricCode.FIRST_RESPONSE_MINUTES,  # a mean, not a percentage
            "metrics-2-weight": "1",
            "metrics-2-target": "10",
            "metrics-2-floor": "60",
            "metrics-2-min_sample": "1",
        },
    )

    response = client.post(_edit_url(draft), data, follow=True)

    # Saved: the warning does not block.
    assert response.redirect_chain == [(_edit_url(draft), 302)]
    assert dict(draft.metrics.values_list("code", "min_sample")) == {
        MetricCode.FCR: 1,
        MetricCode.CSAT: 5,
        MetricCode.FIRST_RESPONSE_MINUTES: 1,
    }
    page = response.content.decode()
    assert page.count('data-testid="metric-warning"') == 1
    assert WARNING in page
    assert [
        form.instance.code for form in response.context["metric_formset"].forms if form.warnings()
    ] == [MetricCode.FCR]


@pytest.mark.parametrize(
    ("code", "warned"),
    [
        (MetricCode.RESPONSE_SLA, True),
        (MetricCode.FCR, True),
        (MetricCode.FOLLOW_UP, True),
        (MetricCode.ESCALATION, True),
        (MetricCode.CSAT, True),
        (MetricCode.NPS, True),
        (MetricCode.FIRST_RESPONSE_MINUTES, False),
        (MetricCode.RESOLUTION_HOURS, False),
        (MetricCode.QA, False),
        (MetricCode.VOLUME, False),
    ],
)
def test_the_warning_is_for_percentage_metrics_only(client, admin, version, code, warned):
    draft = _draft(version)
    draft.metrics.filter(code=MetricCode.CSAT).delete()
    draft.metrics.filter(code=MetricCode.FCR).update(code=code, min_sample=1, target=1, floor=0)

    response = signed_in(client, admin).get(_edit_url(draft))

    assert bool(_warnings(response)) is warned


def test_the_warning_shows_beside_an_error_in_a_draft_not_saved(client, admin, version):
    draft = _draft(version)
    data = _draft_data(
        draft,
        **{"metrics-0-min_sample": "1", "metrics-1-min_sample": "5", "metrics-1-weight": "0"},
    )

    response = signed_in(client, admin).post(_edit_url(draft), data)

    assert response.status_code == 200
    assert len(_warnings(response)) == 1
    assert draft.metrics.get(code=MetricCode.CSAT).weight == 1


def test_a_larger_minimum_sample_and_the_empty_row_are_not_warned(client, admin, version):
    draft = _draft(version)
    draft.metrics.update(min_sample=3)

    response = signed_in(client, admin).get(_edit_url(draft))

    # The empty row for a new metric shows a minimum of 1 but has no metric chosen yet.
    assert _warnings(response) == []
    assert 'data-testid="metric-warning"' not in response.content.decode()


def test_the_warning_is_in_the_users_language(client, admin, version):
    draft = _draft(version)
    draft.metrics.filter(code=MetricCode.FCR).update(min_sample=1)
    draft.metrics.filter(code=MetricCode.CSAT).update(min_sample=5)
    admin.language = "lv"
    admin.save()

    response = signed_in(client, admin).get(_edit_url(draft), HTTP_ACCEPT_LANGUAGE="lv")

    assert "Ja minimālā izlase ir 1" in response.content.decode()
