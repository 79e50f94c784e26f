"""The onboarding page: who has yet to read the rules, and reminders."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from scorecards import tasks
from scorecards.selectors.onboarding import onboarding_employees
from scorecards.services.rules import rule_acknowledge
from staff.models import Employee
from tests.factories import RuleAcknowledgementFactory
from tests.scorecards.rules.helpers import TODAY, count_queries, member, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(team, version):
    new_hire = member(team, username="new", hired_days_ago=10)
    acknowledged_new_hire = member(team, username="newdone", hired_days_ago=20)
    RuleAcknowledgementFactory(employee=acknowledged_new_hire, version=version)
    veteran_pending = member(team, username="veteran", hired_days_ago=900)
    veteran_done = member(team, username="veterandone", hired_days_ago=900)
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
    member(other_scorecard.teams.get(), username="elsewhere", hired_days_ago=5)

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
    member(team, username="noaddress", hired_days_ago=3, email=False)

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
    outsider = member(other_scorecard.teams.get(), username="outsider", hired_days_ago=5)

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
        member(team, username=f"hire{n}", hired_days_ago=n)
    few = count_queries(client, url)
    for n in range(5, 50):
        member(team, username=f"hire{n}", hired_days_ago=n)

    with django_assert_max_num_queries(7):
        response = client.get(url)

    assert response.context["page"].paginator.count == 50
    assert count_queries(client, url) == few
