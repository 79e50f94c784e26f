"""Audit history: what managers and admins change is recorded with who and when, in the admin."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from scorecards.models import Goal
from staff.audit import audited_models
from staff.models import ApiKey, TeamMembership
from tests.factories import ApiKeyFactory, GoalFactory


def test_every_audited_model_shows_its_history_in_the_admin():
    for model in audited_models():
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model
        assert model.history.model in admin.site._registry


@pytest.mark.django_db
def test_a_managers_goal_edit_is_recorded_with_the_manager_and_the_change(client, manager, agent):
    goal = GoalFactory(employee=agent, target=80)
    client.force_login(manager.user)
    today = timezone.localdate()

    response = client.post(
        reverse("scorecards:agent_goal_edit", args=[agent.pk, goal.pk]),
        {
            "metric": goal.metric,
            "target": "95",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=29)).isoformat(),
            "why": goal.why,
        },
    )

    assert response.status_code == 302
    latest, first = Goal.history.filter(id=goal.pk).order_by("-history_date")[:2]
    assert latest.history_user == manager.user
    assert latest.history_type == "~"
    changed = {change.field: change.new for change in latest.diff_against(first).changes}
    assert changed["target"] == 95


@pytest.mark.django_db
def test_membership_changed_in_the_admin_is_listed_on_its_history_page(admin_client, agent):
    membership = agent.memberships.get()
    url = reverse("admin:staff_teammembership_change", args=[membership.pk])
    form = {
        "employee": agent.pk,
        "team": membership.team_id,
        "starts_on": membership.starts_on.isoformat(),
        "ends_on": timezone.localdate().isoformat(),
    }

    saved = admin_client.post(url, form)
    history = admin_client.get(reverse("admin:staff_teammembership_history", args=[membership.pk]))

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    record = TeamMembership.history.filter(id=membership.pk).latest("history_date")
    assert record.history_user.username == "admin"
    assert record.ends_on == timezone.localdate()
    assert history.status_code == 200
    assert b"admin" in history.content


@pytest.mark.django_db
def test_api_key_history_never_stores_the_key_hash():
    key = ApiKeyFactory()
    key.revoked = True
    key.save()

    records = ApiKey.history.filter(id=key.pk)

    assert records.count() == 2
    assert not hasattr(records.first(), "hashed_key")
    assert [r.revoked for r in records.order_by("history_date")] == [False, True]
