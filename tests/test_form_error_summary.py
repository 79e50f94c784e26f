"""The error summary of long forms: every error listed with a link to its field, the banner
focused on load (templates/_form_errors.html, staff/templatetags/form_errors.py)."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from scorecards.choices import MetricCode
from staff.choices import Role
from staff.templatetags.form_errors import form_errors
from tests.factories import (
    EmployeeFactory,
    MetricFactory,
    PublishedVersionFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    UserFactory,
)


class _RowForm(forms.Form):
    name = forms.CharField()
    rating = forms.ChoiceField(choices=[("1", "1"), ("2", "2")], widget=forms.RadioSelect)
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("The row does not add up.")


def test_every_error_is_listed_in_page_order_with_a_link_to_its_control():
    rows = forms.formset_factory(_RowForm, extra=0)(
        {
            "rows-TOTAL_FORMS": "2",
            "rows-INITIAL_FORMS": "0",
            "rows-0-name": "Anna",
            "rows-0-rating": "1",
            "rows-0-secret": "x",
            "rows-1-rating": "9",
        },
        prefix="rows",
    )
    unbound = _RowForm()

    entries = form_errors(unbound, rows, None)

    assert [(entry.row, entry.label, entry.href) for entry in entries] == [
        ("Row 1", "", ""),
        ("Row 2", "", ""),
        ("Row 2", "Name", "#id_rows-1-name"),
        # A radio group's link goes to its first option; a hidden field has no link.
        ("Row 2", "Rating", "#id_rows-1-rating_0"),
        ("Row 2", "Secret", ""),
    ]
    assert entries[0].message == "The row does not add up."
    assert entries[2].message == "This field is required."
    assert "9 is not one of the available choices" in entries[3].message


@pytest.mark.django_db
def test_the_editor_lists_each_error_with_a_link_and_focuses_the_banner(client):
    version = PublishedVersionFactory(
        scorecard=ScorecardFactory(slug="support"), effective_from=dt.date(2020, 1, 1)
    )
    draft = ScorecardVersionFactory(
        scorecard=version.scorecard, number=2, effective_from=timezone.localdate()
    )
    metric = MetricFactory(version=draft, code=MetricCode.FCR, label="First contact resolution")
    admin = EmployeeFactory(
        role=Role.ADMIN, user=UserFactory(username="admin", is_staff=True, is_superuser=True)
    )
    client.force_login(admin.user)

    response = client.post(
        reverse("scorecards:editor_version", args=["support", 2]),
        {
            "version-sla_minutes": "0",
            "version-green_from": "80",
            "version-amber_from": "60",
            "metrics-TOTAL_FORMS": "1",
            "metrics-INITIAL_FORMS": "1",
            "metrics-0-id": metric.pk,
            "metrics-0-code": MetricCode.FCR,
            "metrics-0-weight": "-1",
            "metrics-0-target": "80",
            "metrics-0-floor": "40",
            "metrics-0-min_sample": "2",
            "criteria-TOTAL_FORMS": "0",
            "criteria-INITIAL_FORMS": "0",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    summary = html.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert "The draft was not saved." in summary
    assert "Correct 2 errors" in summary
    assert 'href="#id_version-sla_minutes"' in summary
    assert "The SLA must be at least one minute." in summary
    assert 'href="#id_metrics-0-weight"' in summary
    assert "First contact resolution: Weight" in summary
    assert 'id="id_metrics-0-weight"' in html
    assert "data-focus-on-load" in html.split('data-testid="error-summary"')[0].rsplit("<", 1)[1]
    # One banner, not a second one without links.
    assert "marked below" not in html


@pytest.mark.django_db
def test_the_coaching_form_lists_its_errors_with_links(client, agent, manager):
    PublishedVersionFactory(scorecard=agent.memberships.get().team.scorecard)
    client.force_login(manager.user)

    response = client.post(
        f"{reverse('coaching:session_new')}?agent={agent.pk}",
        {
            "agent": agent.pk,
            "held_on": "2999-01-01",
            "notes": "",
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-description": "No date",
            "actions-0-owner": "agent",
        },
    )

    summary = response.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
    assert "The session was not recorded." in summary
    assert 'href="#id_notes"' in summary
    assert 'href="#id_held_on"' in summary
    assert 'href="#id_actions-0-due_on"' in summary


@pytest.mark.django_db
def test_a_page_without_errors_has_no_summary(client, agent, manager):
    client.force_login(manager.user)

    response = client.get(f"{reverse('coaching:session_new')}?agent={agent.pk}")

    assert response.status_code == 200
    assert b"error-summary" not in response.content
    assert b"data-focus-on-load" not in response.content


@pytest.mark.django_db
def test_the_working_hours_form_lists_its_errors_with_links(client, team, manager):
    client.force_login(manager.user)
    url = reverse("customers:team_hours", args=[team.slug])

    response = client.post(url, {"country": "ZZ", "monday_start": "9 o'clock"})

    summary = response.content.decode().split('data-testid="error-summary"')[1].split("</div>")[0]
    assert "The working hours were not saved." in summary
    assert "Correct 2 errors" in summary
    for name in ("country", "monday_start"):
        assert f'href="#id_{name}"' in summary
