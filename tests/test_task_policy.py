"""Every task retries on one shared policy (crs_site/celery.py), mail tasks on mail errors too."""

import pytest

from crs_site.celery import MAIL_TRANSIENT_ERRORS, TASK_OPTIONS, TRANSIENT_ERRORS, app

RETRYING_TASKS = [
    "scorecards.tasks.scores_refresh",
    "scorecards.tasks.scores_finalise",
    "scorecards.tasks.scores_compute_chunk",
    "scorecards.tasks.alerts_evaluate",
    "scorecards.tasks.goals_settle",
    "feedback.qa_tasks.qa_sample_weekly",
    "imports.tasks.import_check",
    "imports.tasks.import_write",
    "integrations.tasks.inbound_event_process",
    "integrations.tasks.inbound_events_sweep",
]
MAIL_TASKS = [
    "scorecards.tasks.alert_email_send",
    "scorecards.tasks.manager_digest_send",
    "scorecards.onboarding_tasks.onboarding_reminder_send",
    "feedback.tasks.survey_invitation_send",
    "feedback.tasks.survey_invitations_send_pending",
    "feedback.qa_tasks.qa_review_email_send",
    "coaching.tasks.coaching_session_email_send",
]


@pytest.fixture(scope="module")
def tasks():
    app.loader.import_default_modules()
    return app.tasks


@pytest.mark.parametrize("name", RETRYING_TASKS + MAIL_TASKS)
def test_task_acknowledges_late_and_retries_transient_errors(tasks, name):
    task = tasks[name]

    assert task.acks_late is True
    assert task.reject_on_worker_lost is True
    assert task.retry_backoff in (TASK_OPTIONS["retry_backoff"], 30)
    assert task.retry_backoff_max == 300
    assert task.retry_jitter is True
    assert set(TRANSIENT_ERRORS) <= set(task.autoretry_for)


@pytest.mark.parametrize("name", MAIL_TASKS)
def test_mail_task_retries_a_mail_server_that_is_away(tasks, name):
    assert set(MAIL_TRANSIENT_ERRORS) <= set(tasks[name].autoretry_for)


@pytest.mark.parametrize("name", RETRYING_TASKS)
def test_task_without_mail_does_not_retry_mail_errors(tasks, name):
    assert not set(MAIL_TRANSIENT_ERRORS) & set(tasks[name].autoretry_for)


def test_only_a_connector_race_retries_an_integrity_error(tasks):
    from django.db import IntegrityError

    retrying = {
        name for name in RETRYING_TASKS + MAIL_TASKS if IntegrityError in tasks[name].autoretry_for
    }

    assert retrying == {
        "integrations.tasks.inbound_event_process",
        "integrations.tasks.inbound_events_sweep",
    }
