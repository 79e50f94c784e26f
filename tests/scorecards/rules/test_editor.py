"""The scorecard editor: drafts, publication, preview and warnings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from scorecards.choices import MetricCode, VersionStatus
from scorecards.models import DirtyDay, Metric, QACriterion, ScorecardVersion
from tests.factories import (
    EmployeeDailyScoreFactory,
    EmployeeFactory,
    MetricFactory,
    PublishedVersionFactory,
    QACriterionFactory,
    ScorecardFactory,
    ScorecardVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)
from tests.scorecards.rules.helpers import TODAY, count_queries, member, signed_in

pytestmark = pytest.mark.django_db


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
    members = [member(team, username=f"p{n}", hired_days_ago=500) for n in range(50)]
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
