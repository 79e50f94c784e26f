import datetime as dt
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from rest_framework_api_key.models import APIKey

from customers.models import Interaction
from feedback.models import QAReview
from scorecards.choices import ChangeKind, MetricCode, VersionStatus
from scorecards.models import ChangeEvent, DirtyDay, ScorecardVersion
from staff.audit import audited_models
from tests import factories as f

# The factory that makes one row of each audited model (the history admin lists its versions).
AUDIT_FACTORIES = {
    factory._meta.model: factory
    for factory in (
        f.ScorecardFactory,
        f.PublishedVersionFactory,
        f.MetricFactory,
        f.QACriterionFactory,
        f.QASectionFactory,
        f.QAReviewFactory,
        f.QARatingFactory,
        f.GoalFactory,
        f.ChangeEventFactory,
        f.TeamFactory,
        f.EmployeeFactory,
        f.TeamMembershipFactory,
        f.ApiKeyFactory,
    )
}

# How to build n rows of each registered model; a newly registered model needs an entry here.
BUILDERS = {
    "auth.Group": lambda n: [Group.objects.create(name=f"group {i}") for i in range(n)],
    "rest_framework_api_key.APIKey": lambda n: [
        APIKey.objects.create_key(name=f"key {i}")[0] for i in range(n)
    ],
    "auth.User": f.UserFactory.create_batch,
    "staff.Team": f.TeamFactory.create_batch,
    "staff.Employee": f.EmployeeFactory.create_batch,
    "staff.TeamMembership": f.TeamMembershipFactory.create_batch,
    "staff.ApiKey": f.ApiKeyFactory.create_batch,
    "customers.Customer": f.CustomerFactory.create_batch,
    "customers.Interaction": f.InteractionFactory.create_batch,
    "feedback.SurveyInvitation": f.SurveyInvitationFactory.create_batch,
    "feedback.SurveyResponse": f.SurveyResponseFactory.create_batch,
    "feedback.QAReview": f.QAReviewFactory.create_batch,
    "coaching.CoachingSession": f.CoachingSessionFactory.create_batch,
    "feedback.QARating": f.QARatingFactory.create_batch,
    "feedback.QAReviewEvent": f.QAReviewEventFactory.create_batch,
    "scorecards.Scorecard": f.ScorecardFactory.create_batch,
    "scorecards.ScorecardVersion": f.PublishedVersionFactory.create_batch,
    "scorecards.Metric": f.MetricFactory.create_batch,
    "scorecards.QACriterion": f.QACriterionFactory.create_batch,
    "scorecards.QASection": f.QASectionFactory.create_batch,
    "scorecards.EmployeeDailyScore": f.EmployeeDailyScoreFactory.create_batch,
    "scorecards.TeamDailyScore": f.TeamDailyScoreFactory.create_batch,
    "scorecards.DirtyDay": f.DirtyDayFactory.create_batch,
    "scorecards.ScoreFillState": f.ScoreFillStateFactory.create_batch,
    "scorecards.Goal": f.GoalFactory.create_batch,
    "scorecards.ChangeEvent": f.ChangeEventFactory.create_batch,
    "scorecards.RuleAcknowledgement": f.RuleAcknowledgementFactory.create_batch,
    "scorecards.Alert": f.AlertFactory.create_batch,
    "integrations.Connection": f.ConnectionFactory.create_batch,
    "integrations.ExternalAgent": f.ExternalAgentFactory.create_batch,
    "integrations.InboundEvent": f.InboundEventFactory.create_batch,
    "axes.AccessAttempt": lambda n: [
        AccessAttempt.objects.create(
            username=f"user{i}",
            ip_address="10.0.0.1",
            user_agent="test",
            http_accept="*/*",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=1,
        )
        for i in range(n)
    ],
    "axes.AccessLog": lambda n: [
        AccessLog.objects.create(
            username=f"user{i}",
            ip_address="10.0.0.1",
            user_agent="test",
            http_accept="*/*",
            path_info="/accounts/login/",
        )
        for i in range(n)
    ],
    "axes.AccessFailureLog": lambda n: [
        AccessFailureLog.objects.create(
            username=f"user{i}",
            ip_address="10.0.0.1",
            user_agent="test",
            http_accept="*/*",
            path_info="/accounts/login/",
        )
        for i in range(n)
    ],
    **{
        model.history.model._meta.label: (
            lambda n, model=model: [
                row.history.earliest() for row in AUDIT_FACTORIES[model].create_batch(n)
            ]
        )
        for model in audited_models()
    },
}

# Rows written only by the application's own workflows: the admin shows them but adds none.
NOT_ADDABLE = {
    "feedback.SurveyInvitation",
    "feedback.QARating",
    "feedback.QAReviewEvent",
    "scorecards.EmployeeDailyScore",
    "scorecards.TeamDailyScore",
    "scorecards.DirtyDay",
    "scorecards.ScoreFillState",
    "scorecards.Alert",
    "integrations.Connection",
    "integrations.ExternalAgent",
    "integrations.InboundEvent",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    *(model.history.model._meta.label for model in audited_models()),
}

REGISTERED = sorted(model._meta.label for model in admin.site._registry)


def _url(label: str, view: str, *args) -> str:
    app_label, model_name = label.lower().split(".")
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def test_every_registered_model_has_a_builder():
    assert set(REGISTERED) <= set(BUILDERS)


@pytest.mark.parametrize("label", REGISTERED)
def test_changelist_of_thirty_rows_renders_in_a_bounded_number_of_queries(
    admin_client, django_assert_max_num_queries, label
):
    BUILDERS[label](30)

    # A query per row would exceed this many times over.
    with django_assert_max_num_queries(15):
        response = admin_client.get(_url(label, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 30


@pytest.mark.parametrize("label", REGISTERED)
def test_change_page_renders(admin_client, label):
    (row,) = BUILDERS[label](1)

    response = admin_client.get(_url(label, "change", row.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("label", REGISTERED)
def test_add_page_renders_unless_rows_come_only_from_the_application(admin_client, label):
    response = admin_client.get(_url(label, "add"))

    assert response.status_code == (403 if label in NOT_ADDABLE else 200)


def test_user_page_edits_the_employee_record_inline(admin_client):
    employee = f.EmployeeFactory(external_id="HR-7")

    response = admin_client.get(_url("auth.User", "change", employee.user.pk))

    assert b'name="employee-0-external_id"' in response.content
    assert b'value="HR-7"' in response.content


def test_employee_page_shows_team_memberships_inline_to_change_through_their_admin(
    admin_client, agent, team
):
    response = admin_client.get(_url("staff.Employee", "change", agent.pk))

    assert b'name="memberships-0-starts_on"' not in response.content
    assert response.context["inline_admin_formsets"][0].formset.queryset.get().team == team
    membership = agent.memberships.get()
    assert _url("staff.TeamMembership", "change", membership.pk).encode() in response.content


def test_adding_a_membership_in_the_admin_moves_the_agent_as_the_team_page_does(
    admin_client, agent, team
):
    other = f.TeamFactory()
    today = timezone.localdate()
    starts_on = today - dt.timedelta(days=2)

    response = admin_client.post(
        _url("staff.TeamMembership", "add"),
        {"employee": agent.pk, "team": other.pk, "starts_on": starts_on.isoformat()},
    )

    assert response.status_code == 302
    assert list(agent.memberships.order_by("starts_on").values_list("team", "ends_on")) == [
        (team.pk, starts_on - dt.timedelta(days=1)),
        (other.pk, None),
    ]
    assert ChangeEvent.objects.get().team == other
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {
        starts_on + dt.timedelta(days=n) for n in range(3)
    }


def test_the_admin_refuses_a_membership_the_services_refuse_at_the_field(admin_client, agent, team):
    response = admin_client.post(
        _url("staff.TeamMembership", "add"),
        {"employee": agent.pk, "team": team.pk, "starts_on": "2024-05-01"},
    )

    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert agent.memberships.count() == 1
    assert not ChangeEvent.objects.exists()


def test_correcting_a_membership_refuses_overlap_and_rescores_the_days_it_moves(
    admin_client, agent
):
    first = agent.memberships.get()
    today = timezone.localdate()
    first.ends_on = today - dt.timedelta(days=10)
    first.save()
    second = f.TeamMembershipFactory(employee=agent, starts_on=today - dt.timedelta(days=9))
    url = _url("staff.TeamMembership", "change", second.pk)
    data = {"team": second.team_id, "ends_on": ""}

    refused = admin_client.post(url, {**data, "starts_on": first.ends_on.isoformat()})
    moved = admin_client.post(
        url, {**data, "starts_on": (today - dt.timedelta(days=7)).isoformat()}
    )

    assert "starts_on" in refused.context["adminform"].form.errors
    assert moved.status_code == 302
    second.refresh_from_db()
    assert second.starts_on == today - dt.timedelta(days=7)
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {
        today - dt.timedelta(days=9),
        today - dt.timedelta(days=8),
    }


def test_deleting_a_membership_in_the_admin_rescores_its_past_days(admin_client, agent):
    membership = agent.memberships.get()
    membership.starts_on = timezone.localdate() - dt.timedelta(days=1)
    membership.save()

    response = admin_client.post(
        _url("staff.TeamMembership", "delete", membership.pk), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not agent.memberships.exists()
    assert DirtyDay.objects.count() == 2


def test_the_admin_records_a_change_event_as_the_team_page_does(admin_client, team):
    url = _url("scorecards.ChangeEvent", "add")
    data = {"team": team.pk, "kind": ChangeKind.TRAINING, "title": "  Training  ", "notes": ""}
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    refused = admin_client.post(url, {**data, "day": tomorrow.isoformat()})
    recorded = admin_client.post(url, {**data, "day": timezone.localdate().isoformat()})

    assert "day" in refused.context["adminform"].form.errors
    assert recorded.status_code == 302
    event = ChangeEvent.objects.get()
    assert (event.title, event.created_by) == ("Training", None)


def _publish_action(client, *versions):
    return client.post(
        _url("scorecards.ScorecardVersion", "changelist"),
        {"action": "publish_selected", "_selected_action": [v.pk for v in versions]},
        follow=True,
    )


def test_publish_action_publishes_drafts_and_records_the_change_for_their_teams(admin_client):
    team = f.TeamFactory()
    draft = f.PublishedVersionFactory(scorecard=team.scorecard, number=3, publish=False)

    response = _publish_action(admin_client, draft)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.published_at is not None
    assert ChangeEvent.objects.get().team == team
    assert ChangeEvent.objects.get().kind == ChangeKind.SCORECARD
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Published 1 version."]


def test_publish_action_reports_each_refused_version_and_publishes_the_rest(admin_client):
    good = f.PublishedVersionFactory(publish=False)
    empty = f.ScorecardVersionFactory()

    response = _publish_action(admin_client, good, empty)

    assert ScorecardVersion.objects.get(pk=good.pk).is_published
    assert not ScorecardVersion.objects.get(pk=empty.pk).is_published
    assert sorted(str(m) for m in get_messages(response.wsgi_request)) == [
        "Published 1 version.",
        f"{empty} was not published: Version {empty.number} has no metrics: "
        "add at least one before publishing.",
    ]


def test_new_draft_action_copies_the_version_and_opens_the_draft(admin_client):
    source = f.PublishedVersionFactory(
        number=1, metrics=[{"code": MetricCode.CSAT}], criteria=[{"code": "greeting"}]
    )

    response = admin_client.post(
        _url("scorecards.ScorecardVersion", "changelist"),
        {"action": "new_draft_from_selected", "_selected_action": [source.pk]},
    )

    draft = ScorecardVersion.objects.get(scorecard=source.scorecard, number=2)
    assert response.status_code == 302
    assert response["Location"] == _url("scorecards.ScorecardVersion", "change", draft.pk)
    assert draft.status == VersionStatus.DRAFT
    assert list(draft.metrics.values_list("code", flat=True)) == ["csat"]
    assert list(draft.qa_criteria.values_list("code", flat=True)) == ["greeting"]


_FORM_CONTROL = re.compile(rb"<(?:input|textarea|select)\b[^>]*>")
_NAME = re.compile(rb'name="([^"]+)"')


def _editable_names(content: bytes) -> set[str]:
    """Return the names of the visible form controls (hidden ids and tokens are not editable)."""
    names = set()
    for control in _FORM_CONTROL.findall(content):
        name = _NAME.search(control)
        if name and b'type="hidden"' not in control:
            names.add(name.group(1).decode())
    return names


def test_published_version_page_shows_its_rules_without_editable_inputs(admin_client):
    version = f.PublishedVersionFactory(intro="Answer within the hour.", criteria=[{}])

    response = admin_client.get(_url("scorecards.ScorecardVersion", "change", version.pk))

    assert response.status_code == 200
    assert b"Answer within the hour." in response.content
    assert _editable_names(response.content) == set()


def test_draft_version_page_is_editable_with_its_metrics(admin_client):
    draft = f.PublishedVersionFactory(publish=False)

    response = admin_client.get(_url("scorecards.ScorecardVersion", "change", draft.pk))

    assert {"sla_minutes", "effective_from", "metrics-0-weight", "_save"} <= _editable_names(
        response.content
    )


def test_published_version_cannot_be_changed_or_deleted_through_the_admin(admin_client):
    version = f.PublishedVersionFactory(sla_minutes=60)

    changed = admin_client.post(
        _url("scorecards.ScorecardVersion", "change", version.pk), {"sla_minutes": 5}
    )
    deleted = admin_client.post(
        _url("scorecards.ScorecardVersion", "delete", version.pk), {"post": "yes"}
    )

    assert (changed.status_code, deleted.status_code) == (403, 403)
    assert ScorecardVersion.objects.get(pk=version.pk).sla_minutes == 60


def _moment(data: dict, name: str, moment: dt.datetime | None) -> None:
    """Fill the admin's split date and time inputs of a moment (empty for None)."""
    local = timezone.localtime(moment) if moment else None
    data[f"{name}_0"] = local.date().isoformat() if local else ""
    data[f"{name}_1"] = local.time().isoformat(timespec="seconds") if local else ""


def _interaction_data(interaction: Interaction, **changes) -> dict:
    """Return the admin change form's data for the interaction, with some fields changed."""
    values = {
        name: getattr(interaction, name)
        for name in (
            "opened_at",
            "first_response_at",
            "resolved_at",
            "follow_up_due",
            "follow_up_done_at",
            "is_first_contact_resolution",
            "is_escalated",
            "is_flagged_for_review",
        )
    } | changes
    data = {
        "customer": interaction.customer_id,
        "employee": interaction.employee_id,
        "channel": interaction.channel,
        "subject": interaction.subject,
        "notes": interaction.notes,
        "source": interaction.source,
        "external_id": interaction.external_id or "",
        "follow_up_due": values["follow_up_due"].isoformat() if values["follow_up_due"] else "",
    }
    for name in ("opened_at", "first_response_at", "resolved_at", "follow_up_done_at"):
        _moment(data, name, values[name])
    for name in ("is_first_contact_resolution", "is_escalated", "is_flagged_for_review"):
        if values[name]:
            data[name] = "on"
    return data


def test_editing_an_interaction_marks_the_old_and_new_days_for_rescoring(admin_client, agent):
    opened = timezone.make_aware(dt.datetime(2025, 3, 10, 9))
    interaction = f.InteractionFactory(employee=agent, opened_at=opened)
    f.SurveyResponseFactory(interaction=interaction, submitted_at=opened + dt.timedelta(days=2))
    moved = opened + dt.timedelta(days=1)

    response = admin_client.post(
        _url("customers.Interaction", "change", interaction.pk),
        _interaction_data(interaction, opened_at=moved, first_response_at=moved),
    )

    assert response.status_code == 302
    assert Interaction.objects.get(pk=interaction.pk).opened_at == moved
    # The survey answer counts on the day it was submitted, which the edit does not move.
    assert set(DirtyDay.objects.values_list("employee", "day")) == {
        (agent.pk, dt.date(2025, 3, 10)),
        (agent.pk, dt.date(2025, 3, 11)),
    }


def test_the_admin_refuses_an_interaction_the_services_refuse_at_the_field(admin_client, agent):
    interaction = f.InteractionFactory(employee=agent)
    before = interaction.opened_at - dt.timedelta(hours=1)
    url = _url("customers.Interaction", "change", interaction.pk)

    response = admin_client.post(url, _interaction_data(interaction, first_response_at=before))

    assert response.status_code == 200
    assert "first_response_at" in response.context["adminform"].form.errors
    assert Interaction.objects.get(pk=interaction.pk).first_response_at != before
    assert not DirtyDay.objects.exists()


def test_adding_an_interaction_in_the_admin_logs_it_and_marks_its_day(admin_client, agent):
    template = f.InteractionFactory.build(employee=agent, customer=f.CustomerFactory())
    opened = timezone.make_aware(dt.datetime(2025, 3, 10, 9))
    data = _interaction_data(template, opened_at=opened, first_response_at=opened)

    response = admin_client.post(_url("customers.Interaction", "add"), data)

    assert response.status_code == 302
    created = Interaction.objects.get()
    assert (created.employee, created.opened_at) == (agent, opened)
    assert set(DirtyDay.objects.values_list("employee", "day")) == {
        (agent.pk, dt.date(2025, 3, 10))
    }


def test_correcting_a_survey_answer_marks_the_day_it_left_and_the_day_it_joined(
    admin_client, agent
):
    opened = timezone.make_aware(dt.datetime(2025, 3, 10, 9))
    interaction = f.InteractionFactory(employee=agent, opened_at=opened)
    answer = f.SurveyResponseFactory(interaction=interaction, submitted_at=opened, csat=5, nps=9)
    data = {
        "interaction": interaction.pk,
        "csat": 2,
        "nps": 9,
        "comment": "",
        "language": "en",
        "source": answer.source,
        "external_id": "",
    }
    _moment(data, "submitted_at", opened + dt.timedelta(days=3))

    response = admin_client.post(_url("feedback.SurveyResponse", "change", answer.pk), data)

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.csat == 2
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 13),
    }
    data["csat"] = 9
    refused = admin_client.post(_url("feedback.SurveyResponse", "change", answer.pk), data)
    assert "csat" in refused.context["adminform"].form.errors


def test_deleting_reviews_in_the_admin_marks_the_days_their_totals_counted_on(admin_client, agent):
    scored = timezone.make_aware(dt.datetime(2025, 3, 10, 15))
    review = f.PublishedQAReviewFactory(
        interaction=f.InteractionFactory(employee=agent, opened_at=scored - dt.timedelta(hours=5)),
        published_at=scored,
    )

    response = admin_client.post(
        _url("feedback.QAReview", "changelist"),
        {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not QAReview.objects.exists()
    assert set(DirtyDay.objects.values_list("employee", "day")) == {
        (agent.pk, dt.date(2025, 3, 10))
    }


def test_the_admin_starts_a_review_as_the_pages_do(admin_client, agent, team):
    interaction = f.InteractionFactory(employee=agent)
    f.PublishedVersionFactory(scorecard=team.scorecard, effective_from=dt.date(2024, 1, 1))
    manager = f.ManagerFactory()
    url = _url("feedback.QAReview", "add")
    # The read-only inlines (ratings, disputed criteria, events) still post their management
    # forms.
    inlines = {
        f"{prefix}-{name}": 0
        for prefix in ("ratings", "dispute_items", "events")
        for name in ("TOTAL_FORMS", "INITIAL_FORMS")
    }

    refused = admin_client.post(
        url, {"interaction": interaction.pk, "reviewer": agent.pk, "reason": "flagged"} | inlines
    )
    started = admin_client.post(
        url,
        {
            "interaction": interaction.pk,
            "reviewer": manager.pk,
            "reason": "flagged",
            "comment": "Hi",
            **inlines,
        },
    )

    assert "reviewer" in refused.context["adminform"].form.errors
    assert started.status_code == 302
    review = QAReview.objects.get()
    assert (review.reviewer, review.status, review.comment) == (manager, "draft", "Hi")
    assert review.version.scorecard == team.scorecard
    assert review.events.get().action == "created"


def test_deleting_interactions_marks_their_days_for_rescoring(admin_client, agent):
    opened = timezone.make_aware(dt.datetime(2025, 3, 10, 9))
    interaction = f.InteractionFactory(
        employee=agent, opened_at=opened, follow_up_due=dt.date(2025, 3, 14)
    )

    admin_client.post(
        _url("customers.Interaction", "changelist"),
        {"action": "delete_selected", "_selected_action": [interaction.pk], "post": "yes"},
    )

    assert not Interaction.objects.exists()
    assert set(DirtyDay.objects.values_list("day", flat=True)) == {
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 14),
    }
