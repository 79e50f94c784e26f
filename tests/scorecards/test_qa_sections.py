"""QA sections: copied with a new draft, edited in the editor, shown on the rules page and the
review pages, and scored through `feedback.qa_scoring.qa_review_total`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from feedback import qa_services
from scorecards.choices import MetricCode, SectionAutoFail, VersionStatus
from scorecards.models import QACriterion, QASection, ScorecardVersion
from scorecards.selectors.rules import version_changes
from scorecards.services.versions import scorecard_version_draft_from, scorecard_version_publish
from staff.choices import ApiScope, Role
from staff.models import ApiKey
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    MetricFactory,
    QACriterionFactory,
    QASectionFactory,
    ScorecardVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _publish(version: ScorecardVersion) -> ScorecardVersion:
    ScorecardVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def sectioned_version(
    scorecard,
    *,
    number=1,
    effective_from=dt.date(2020, 1, 1),
    publish=True,
    compliance_auto_fail=SectionAutoFail.REVIEW,
):
    """Opening (weight 1: greeting, listening) and Compliance (weight 3, auto-fail for the review:
    a critical escalation and courtesy)."""
    version = ScorecardVersionFactory(
        scorecard=scorecard, number=number, effective_from=effective_from
    )
    MetricFactory(version=version, code=MetricCode.FCR)
    opening = QASectionFactory(
        version=version, code="opening", label="Opening", weight=1, position=1
    )
    compliance = QASectionFactory(
        version=version,
        code="compliance",
        label="Compliance",
        weight=3,
        auto_fail=compliance_auto_fail,
        position=2,
    )
    QACriterionFactory(
        version=version, section=opening, code="greeting", label="Greeting", position=1
    )
    QACriterionFactory(
        version=version, section=opening, code="listening", label="Listening", position=2
    )
    QACriterionFactory(
        version=version,
        section=compliance,
        code="escalation",
        label="Correct escalation",
        is_critical=True,
        weight=2,
        position=3,
    )
    QACriterionFactory(
        version=version, section=compliance, code="courtesy", label="Courtesy", position=4
    )
    return _publish(version) if publish else version


@pytest.fixture
def compliance_auto_fail():
    return SectionAutoFail.REVIEW


@pytest.fixture
def version(team, compliance_auto_fail):
    return sectioned_version(team.scorecard, compliance_auto_fail=compliance_auto_fail)


@pytest.fixture
def criteria(version):
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


@pytest.fixture
def admin(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return EmployeeFactory(role=Role.ADMIN, user=user)


@pytest.fixture
def draft(agent, manager, version):
    opened = timezone.now() - dt.timedelta(hours=3)
    interaction = InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )
    return qa_services.qa_review_start(interaction=interaction, reviewer=manager)


# ---- scoring through the service -------------------------------------------------------------


def test_a_saved_review_is_totalled_by_section(draft, manager, criteria):
    ratings = {
        criteria["greeting"].pk: (4, ""),
        criteria["listening"].pk: (2, ""),
        criteria["escalation"].pk: (2, ""),
        criteria["courtesy"].pk: (None, ""),
    }

    review = qa_services.qa_review_save(review=draft, actor=manager, ratings=ratings)

    # Opening (4 + 2) / 8 = 75, weight 1; Compliance 2 / 4 = 50, weight 3: (75 + 150) / 4.
    assert review.total == Decimal("56.25")


def test_a_critical_0_in_a_review_auto_fail_section_makes_the_total_0(draft, manager, criteria):
    ratings = {criterion.pk: (4, "") for criterion in criteria.values()}
    ratings[criteria["escalation"].pk] = (0, "")

    review = qa_services.qa_review_save(review=draft, actor=manager, ratings=ratings)

    assert review.total == Decimal("0.00")


@pytest.mark.parametrize("compliance_auto_fail", [SectionAutoFail.SECTION])
def test_a_section_auto_fail_scores_only_its_section_0(draft, manager, criteria):
    ratings = {criterion.pk: (4, "") for criterion in criteria.values()}
    ratings[criteria["escalation"].pk] = (0, "")

    review = qa_services.qa_review_save(review=draft, actor=manager, ratings=ratings)

    # Opening 100 (weight 1), Compliance 0 (weight 3).
    assert review.total == Decimal("25.00")


# ---- versions -----------------------------------------------------------------------------


def test_a_new_draft_copies_the_sections_and_points_its_criteria_at_the_copies(version):
    draft = scorecard_version_draft_from(version=version)

    copied = {section.code: section for section in draft.qa_sections.all()}
    assert [(s.code, s.label, s.weight, s.auto_fail, s.position) for s in copied.values()] == [
        (s.code, s.label, s.weight, s.auto_fail, s.position) for s in version.qa_sections.all()
    ]
    assert {criterion.code: criterion.section_id for criterion in draft.qa_criteria.all()} == {
        "greeting": copied["opening"].pk,
        "listening": copied["opening"].pk,
        "escalation": copied["compliance"].pk,
        "courtesy": copied["compliance"].pk,
    }
    # The published version keeps its own sections.
    assert version.qa_sections.count() == 2
    assert set(version.qa_criteria.values_list("section__version", flat=True)) == {version.pk}


def test_publishing_refuses_a_version_with_criteria_outside_its_sections(team):
    draft = sectioned_version(team.scorecard, effective_from=TODAY, publish=False)
    QACriterionFactory(version=draft, code="loose")

    with pytest.raises(ValidationError, match="put every QA criterion in one of them"):
        scorecard_version_publish(version=draft)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_a_published_versions_sections_are_frozen_in_the_database(version):
    with pytest.raises(IntegrityError, match="scorecard_version_immutable"), transaction.atomic():
        QASection.objects.filter(version=version).update(weight=5)
    with pytest.raises(ValidationError):
        version.qa_sections.first().delete()


def test_a_criterion_cannot_sit_in_a_section_of_another_version(team, version):
    draft = ScorecardVersionFactory(scorecard=team.scorecard, number=2)
    criterion = QACriterion(version=draft, code="x", label="X", section=version.qa_sections.first())

    with pytest.raises(ValidationError) as error:
        criterion.full_clean()

    assert "section" in error.value.message_dict


# ---- editor -----------------------------------------------------------------------------------


def _edit_url(version) -> str:
    return reverse("scorecards:editor_version", args=[version.scorecard.slug, version.number])


def _editor_data(version, *, sections, criteria) -> dict:
    """The editor as posted: settings and metrics unchanged, the sections and criteria given.

    `sections` are dicts of section fields, `criteria` dicts of criterion fields with
    `section` a code; rows of stored ones carry their `id`.
    """
    metrics = list(version.metrics.all())
    data = {
        "version-sla_minutes": version.sla_minutes,
        "version-green_from": version.green_from,
        "version-amber_from": version.amber_from,
        "version-intro": version.intro,
        "version-change_summary": "Sections.",
    }
    for prefix, rows, initial in (
        ("metrics", [], len(metrics)),
        ("sections", sections, version.qa_sections.count()),
        ("criteria", criteria, version.qa_criteria.count()),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": max(len(rows), initial),
                f"{prefix}-INITIAL_FORMS": initial,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    data["metrics-TOTAL_FORMS"] = len(metrics)
    for index, metric in enumerate(metrics):
        for name in ("code", "label", "weight", "target", "floor", "min_sample"):
            data[f"metrics-{index}-{name}"] = getattr(metric, name)
        data[f"metrics-{index}-id"] = metric.pk
    return data


@pytest.fixture
def plain_draft(team):
    """A draft without sections: two criteria."""
    draft = ScorecardVersionFactory(
        scorecard=team.scorecard, number=5, effective_from=TODAY + dt.timedelta(days=1)
    )
    MetricFactory(version=draft, code=MetricCode.FCR)
    QACriterionFactory(version=draft, code="greeting", label="Greeting", position=1)
    QACriterionFactory(version=draft, code="escalation", label="Escalation", position=2)
    return draft


def _criteria_rows(draft, **sections) -> list[dict]:
    return [
        {
            "id": criterion.pk,
            "code": criterion.code,
            "label": criterion.label,
            "weight": criterion.weight,
            "section": sections.get(criterion.code, ""),
        }
        for criterion in draft.qa_criteria.all()
    ]


def test_the_editor_adds_sections_and_puts_the_criteria_in_them(client, admin, plain_draft):
    client.force_login(admin.user)
    data = _editor_data(
        plain_draft,
        sections=[
            {"code": "opening", "label": "Opening", "weight": "2", "auto_fail": "none"},
            {"code": "compliance", "label": "Compliance", "weight": "1", "auto_fail": "review"},
        ],
        criteria=_criteria_rows(plain_draft, greeting="opening", escalation="compliance"),
    )

    response = client.post(_edit_url(plain_draft), data)

    assert response.status_code == 302
    assert list(plain_draft.qa_sections.values_list("code", "weight", "auto_fail", "position")) == [
        ("opening", Decimal("2.00"), "none", 0),
        ("compliance", Decimal("1.00"), "review", 1),
    ]
    assert dict(plain_draft.qa_criteria.values_list("code", "section__code")) == {
        "greeting": "opening",
        "escalation": "compliance",
    }
    # The page shows them back: the sections' rows and each criterion's section picked.
    page = client.get(_edit_url(plain_draft))
    content = page.content.decode()
    assert "Add a QA section" in content
    assert page.context["criterion_formset"].forms[0]["section"].value() == "opening"


def test_the_editor_saves_a_sections_label_translation(client, admin, plain_draft):
    client.force_login(admin.user)
    data = _editor_data(
        plain_draft,
        sections=[
            {
                "code": "opening",
                "label": "Opening",
                "weight": "1",
                "auto_fail": "none",
                "tr_lv_label": "Sarunas sākums",
            }
        ],
        criteria=_criteria_rows(plain_draft, greeting="opening", escalation="opening"),
    )

    response = client.post(_edit_url(plain_draft), data)

    assert response.status_code == 302
    section = plain_draft.qa_sections.get()
    assert section.localized("label", "lv") == "Sarunas sākums"
    assert section.localized("label", "ru") == "Opening"


def _section_errors(response, index: int) -> dict:
    return response.context["section_formset"].forms[index].errors


def _criterion_errors(response, index: int) -> dict:
    return response.context["criterion_formset"].forms[index].errors


def test_the_editor_refuses_a_section_weight_of_0_at_the_field(client, admin, plain_draft):
    client.force_login(admin.user)
    data = _editor_data(
        plain_draft,
        sections=[{"code": "opening", "label": "Opening", "weight": "0", "auto_fail": "none"}],
        criteria=_criteria_rows(plain_draft, greeting="opening", escalation="opening"),
    )

    response = client.post(_edit_url(plain_draft), data)

    assert response.status_code == 200
    assert _section_errors(response, 0)["weight"] == ["The weight must be more than 0."]
    assert not plain_draft.qa_sections.exists()


def test_the_editor_refuses_a_section_the_version_does_not_have(
    client, admin, plain_draft, version
):
    # "compliance" is a section of another (published) version, not of this draft.
    client.force_login(admin.user)
    data = _editor_data(
        plain_draft,
        sections=[{"code": "opening", "label": "Opening", "weight": "1", "auto_fail": "none"}],
        criteria=_criteria_rows(plain_draft, greeting="opening", escalation="compliance"),
    )

    response = client.post(_edit_url(plain_draft), data)

    assert response.status_code == 200
    assert "section" in _criterion_errors(response, 1)
    assert not _criterion_errors(response, 0)
    assert not plain_draft.qa_sections.exists()


def test_the_editor_asks_for_a_section_for_every_criterion_once_there_are_some(
    client, admin, plain_draft
):
    client.force_login(admin.user)
    data = _editor_data(
        plain_draft,
        sections=[{"code": "opening", "label": "Opening", "weight": "1", "auto_fail": "none"}],
        criteria=_criteria_rows(plain_draft, greeting="opening"),
    )

    response = client.post(_edit_url(plain_draft), data)

    assert response.status_code == 200
    assert _criterion_errors(response, 1)["section"] == [
        "This version has sections: pick this criterion's section."
    ]
    assert not plain_draft.qa_sections.exists()


def test_the_editor_refuses_removing_a_section_a_criterion_keeps(client, admin, team):
    draft = sectioned_version(
        team.scorecard, number=6, effective_from=TODAY + dt.timedelta(days=1), publish=False
    )
    sections = [
        {
            "id": section.pk,
            "code": section.code,
            "label": section.label,
            "weight": section.weight,
            "auto_fail": section.auto_fail,
        }
        for section in draft.qa_sections.all()
    ]
    sections[1]["DELETE"] = "on"
    client.force_login(admin.user)
    data = _editor_data(
        draft,
        sections=sections,
        criteria=_criteria_rows(
            draft,
            greeting="opening",
            listening="opening",
            escalation="compliance",
            courtesy="opening",
        ),
    )

    response = client.post(_edit_url(draft), data)

    assert response.status_code == 200
    assert _criterion_errors(response, 2)["section"] == [
        "The section compliance is being removed: pick another."
    ]
    assert draft.qa_sections.count() == 2


def test_a_published_version_shows_its_sections_read_only(client, admin, version):
    client.force_login(admin.user)

    response = client.get(_edit_url(version))

    content = response.content.decode()
    assert 'data-testid="sections"' in content
    assert "Fails the whole review (it scores 0)" in content


# ---- rules page and review pages ----------------------------------------------------------


def test_the_rules_page_lists_sections_with_weights_and_auto_fail(client, agent, version):
    client.force_login(agent.user)

    response = client.get(reverse("scorecards:rules_detail", args=[version.scorecard.slug]))

    assert response.status_code == 200
    sections = response.context["rules"].sections
    assert [(s.code, s.weight_share, [c.code for c in s.criteria]) for s in sections] == [
        ("opening", Decimal(25), ["greeting", "listening"]),
        ("compliance", Decimal(75), ["escalation", "courtesy"]),
    ]
    content = response.content.decode()
    assert "section weight 3 (75% of the review)" in content
    assert (
        "Auto-fail: a critical criterion of this section rated 0 makes the whole review 0."
        in content
    )
    assert content.index("Opening") < content.index("Greeting") < content.index("Compliance")


def test_the_review_form_groups_the_criteria_under_their_sections(
    client, manager, draft, criteria, django_assert_max_num_queries
):
    qa_services.qa_review_save(
        review=draft,
        actor=manager,
        ratings={criteria["greeting"].pk: (4, ""), criteria["listening"].pk: (2, "")},
    )
    client.force_login(manager.user)

    with django_assert_max_num_queries(22):
        response = client.get(reverse("qa:review_edit", args=[draft.pk]))

    assert response.status_code == 200
    groups = response.context["sections"]
    assert [(g.label, g.score, len(g.rows)) for g in groups] == [
        ("Opening", Decimal("75.00"), 2),
        ("Compliance", None, 2),
    ]
    content = response.content.decode()
    assert 'data-qa-section-score="opening"' in content
    assert "section weight 3" in content
    assert "Auto-fail" in content
    data = {row["id"]: row for row in response.context["criteria_data"]}
    assert data[criteria["escalation"].pk]["section"] == {
        "code": "compliance",
        "weight": "3.00",
        "auto_fail": "review",
    }


def test_the_review_detail_shows_each_section_score(client, manager, agent, draft, criteria):
    ratings = {criterion.pk: (4, "") for criterion in criteria.values()}
    ratings[criteria["courtesy"].pk] = (0, "")
    qa_services.qa_review_save_and_publish(review=draft, actor=manager, ratings=ratings)
    client.force_login(agent.user)

    response = client.get(reverse("qa:review_detail", args=[draft.pk]))

    assert response.status_code == 200
    assert [(g.label, g.score) for g in response.context["sections"]] == [
        ("Opening", Decimal("100.00")),
        # (4 * 2 + 0 * 1) / (3 * 4)
        ("Compliance", Decimal("66.67")),
    ]
    assert response.content.decode().count('data-testid="section-score"') == 2


# ---- API --------------------------------------------------------------------------------------


def test_the_api_gives_the_sections_and_each_criterions_section(
    version, django_assert_max_num_queries
):
    _, raw = ApiKey.objects.create_key(name="tool", scopes=list(ApiScope.values))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    slug = version.scorecard.slug

    with django_assert_max_num_queries(12):
        detail = client.get(f"/api/v1/scorecards/{slug}/").json()["version_in_force"]
    versions = client.get(f"/api/v1/scorecards/{slug}/versions/").json()

    for shown in (detail, versions[0]):
        assert shown["qa_sections"] == [
            {"code": "opening", "label": "Opening", "weight": 1.0, "auto_fail": "none"},
            {"code": "compliance", "label": "Compliance", "weight": 3.0, "auto_fail": "review"},
        ]
        assert {c["code"]: c["section"] for c in shown["qa_criteria"]} == {
            "greeting": "opening",
            "listening": "opening",
            "escalation": "compliance",
            "courtesy": "compliance",
        }


def test_the_rules_history_names_the_section_changes(client, agent, version):
    draft = scorecard_version_draft_from(version=version)
    QASection.objects.filter(version=draft, code="compliance").update(
        weight=2, auto_fail=SectionAutoFail.SECTION
    )
    closing = QASectionFactory(version=draft, code="closing", label="Closing", position=3)
    QACriterion.objects.filter(version=draft, code="courtesy").update(section=closing)

    changes = {
        (c.part, c.kind, c.subject, c.field, c.before, c.after)
        for c in version_changes(before=version, after=draft, language="en")
    }

    assert changes == {
        ("section", "changed", "Compliance", "weight", Decimal(3), Decimal(2)),
        (
            "section",
            "changed",
            "Compliance",
            "auto-fail",
            "Fails the whole review (it scores 0)",
            "Fails the section (it scores 0)",
        ),
        ("section", "added", "Closing", "", None, None),
        ("criterion", "changed", "Courtesy", "section", "Compliance", "Closing"),
    }
    _publish(draft)
    client.force_login(agent.user)
    content = client.get(
        reverse("scorecards:rules_detail", args=[version.scorecard.slug])
    ).content.decode()
    assert "QA section added: Closing" in content
    assert "Fails the whole review (it scores 0) → Fails the section (it scores 0)" in content
    assert "Courtesy, section:" in content
