"""Criteria grouped by QA section on every page that lists them (the dispute form, its
resolution, calibration), and the out-of-date note on translated rule texts wherever they show."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback import calibration_services, qa_services
from feedback.models import QAReview
from scorecards.choices import MetricCode
from scorecards.models import Metric, QACriterion, QASection
from scorecards.translations import source_hash, translations_for_texts
from staff.choices import Role
from tests.factories import EmployeeFactory, InteractionFactory
from tests.scorecards.test_qa_sections import _publish, sectioned_version

pytestmark = pytest.mark.django_db

STALE_NOTE = 'data-testid="translation-outdated"'


def _stale(field: str, text: str, old_english: str) -> dict:
    """A Russian translation written from an English text that has changed since."""
    return {"ru": {field: text, "_source": {field: source_hash(old_english)}}}


@pytest.fixture
def version(team):
    """Opening (greeting, listening) and Compliance (auto-fail: a critical escalation, courtesy);
    in Russian, Greeting is translated and current, Compliance and Courtesy are out of date."""
    version = sectioned_version(team.scorecard, publish=False)
    QASection.objects.filter(version=version, code="compliance").update(
        translations=_stale("label", "Соблюдение правил", "Rules")
    )
    QACriterion.objects.filter(version=version, code="greeting").update(
        translations=translations_for_texts(
            texts={"ru": {"label": "Приветствие"}}, english={"label": "Greeting"}
        )
    )
    QACriterion.objects.filter(version=version, code="courtesy").update(
        translations=_stale("label", "Вежливость", "Politeness")
    )
    Metric.objects.filter(version=version, code=MetricCode.FCR).update(
        translations=_stale("label", "Решено с первого раза", "First contact")
    )
    return _publish(version)


@pytest.fixture
def criteria(version):
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


def _interaction(agent, minutes=0):
    opened = timezone.now() - dt.timedelta(hours=3, minutes=minutes)
    return InteractionFactory(
        employee=agent, opened_at=opened, resolved_at=opened + dt.timedelta(hours=1)
    )


def _published(interaction, reviewer, criteria):
    review = qa_services.qa_review_start(interaction=interaction, reviewer=reviewer)
    return qa_services.qa_review_save_and_publish(
        review=review,
        actor=reviewer,
        ratings={criterion.pk: (2, "") for criterion in criteria.values()},
    )


def _in_russian(employee):
    employee.language = "ru"
    employee.save()
    return employee


def _sections(html: str) -> list[str]:
    """The section blocks of a page, in order, each up to the next one."""
    return html.split('data-testid="section"')[1:]


def _second_manager(team):
    other = EmployeeFactory(role=Role.MANAGER)
    team.managers.add(other)
    return other


# ---- sections -------------------------------------------------------------------------------


def test_the_dispute_form_groups_the_criteria_under_their_sections(
    client, agent, manager, criteria
):
    review = _published(_interaction(agent), manager, criteria)
    client.force_login(agent.user)

    html = client.get(reverse("qa:review_detail", args=[review.pk])).content.decode()

    form = html.split('data-testid="dispute-form"')[1].split("</form>")[0]
    opening, compliance = _sections(form)
    assert "Opening" in opening
    assert "section weight 1" in opening
    assert f'name="dispute_{criteria["greeting"].pk}"' in opening
    assert 'data-testid="section-auto-fail"' not in opening
    assert "Compliance" in compliance
    assert "section weight 3" in compliance
    assert 'data-testid="section-auto-fail"' in compliance
    assert f'name="dispute_{criteria["escalation"].pk}"' in compliance


def test_the_resolution_page_groups_the_disputed_criteria_under_their_sections(
    client, team, agent, manager, criteria
):
    review = _published(_interaction(agent), manager, criteria)
    qa_services.qa_review_dispute(
        review=review,
        agent=agent,
        proposals={criteria["escalation"].pk: (4, "I escalated it.")},
    )
    client.force_login(_second_manager(team).user)

    html = client.get(reverse("qa:review_resolve", args=[review.pk])).content.decode()

    (compliance,) = _sections(html)
    assert "Compliance" in compliance
    assert "section weight 3" in compliance
    assert 'data-testid="section-auto-fail"' in compliance
    assert "Correct escalation" in compliance
    assert "Opening" not in html.split('data-testid="resolve-form"')[1]


def test_the_calibration_comparison_groups_the_criteria_under_their_sections(
    client, team, agent, manager, criteria
):
    interaction = _interaction(agent)
    _published(interaction, manager, criteria)
    _published(interaction, _second_manager(team), criteria)
    client.force_login(manager.user)

    html = client.get(reverse("qa:calibration_detail", args=[interaction.pk])).content.decode()

    opening, compliance = _sections(html)
    assert "Greeting" in opening
    assert "Listening" in opening
    assert "Correct escalation" in compliance
    assert "Courtesy" in compliance
    assert 'data-testid="section-auto-fail"' in compliance
    assert 'colspan="4"' in html  # criterion, two reviewers, spread


def test_the_calibration_session_groups_each_interactions_criteria_under_their_sections(
    client, team, agent, manager, criteria
):
    reviewer = _second_manager(team)
    interaction = _interaction(agent)
    session = calibration_services.calibration_session_create(
        title="Sections",
        deadline=timezone.now() + dt.timedelta(days=3),
        interactions=[interaction],
        reviewers=[reviewer, _second_manager(team)],
        actor=manager,
    )
    review = QAReview.objects.get(calibration_session=session, reviewer=reviewer)
    qa_services.qa_review_save_and_publish(
        review=review,
        actor=reviewer,
        ratings={criterion.pk: (3, "") for criterion in criteria.values()},
    )
    client.force_login(reviewer.user)

    html = client.get(reverse("qa:calibration_session", args=[session.pk])).content.decode()

    table = html.split('data-testid="calibration-spread"')[1].split("</table>")[0]
    opening, compliance = _sections(table)
    assert "Greeting" in opening
    assert "Courtesy" not in opening
    assert "Correct escalation" in compliance
    assert 'data-testid="section-auto-fail"' in compliance


def test_the_reference_form_of_a_closed_session_groups_the_criteria_under_their_sections(
    client, team, agent, manager, criteria
):
    interaction = _interaction(agent)
    reviewers = [_second_manager(team), _second_manager(team)]
    session = calibration_services.calibration_session_create(
        title="Sections",
        deadline=timezone.now() + dt.timedelta(days=3),
        interactions=[interaction],
        reviewers=reviewers,
        actor=manager,
    )
    for reviewer in reviewers:
        qa_services.qa_review_save_and_publish(
            review=QAReview.objects.get(calibration_session=session, reviewer=reviewer),
            actor=reviewer,
            ratings={criterion.pk: (3, "") for criterion in criteria.values()},
        )
    calibration_services.calibration_session_close(session=session, actor=manager)
    client.force_login(manager.user)

    html = client.get(reverse("qa:calibration_session", args=[session.pk])).content.decode()

    form = html.split('data-testid="reference-form"')[1].split("</form>")[0]
    opening, compliance = form.split('data-testid="reference-section"')[1:]
    assert f'name="i{interaction.pk}-reference_{criteria["greeting"].pk}"' in opening
    assert f'name="i{interaction.pk}-reference_{criteria["escalation"].pk}"' in compliance
    assert 'data-testid="section-auto-fail"' in compliance


# ---- translations out of date ----------------------------------------------------------------


def test_the_review_form_marks_out_of_date_translations_of_sections_and_criteria(
    client, agent, manager, criteria
):
    review = qa_services.qa_review_start(
        interaction=_interaction(agent), reviewer=_in_russian(manager)
    )
    client.force_login(manager.user)

    html = client.get(reverse("qa:review_edit", args=[review.pk])).content.decode()

    opening, compliance = _sections(html)
    assert "Приветствие" in opening
    assert STALE_NOTE not in opening
    # The section's label, and Courtesy's, were translated from an older English text.
    assert "Соблюдение правил" in compliance
    assert compliance.count(STALE_NOTE) == 2
    courtesy = compliance.split("Вежливость")[1]
    assert STALE_NOTE in courtesy


def test_no_note_in_english_and_none_for_a_current_translation(client, agent, manager, criteria):
    review = qa_services.qa_review_start(interaction=_interaction(agent), reviewer=manager)
    client.force_login(manager.user)

    html = client.get(reverse("qa:review_edit", args=[review.pk])).content.decode()

    assert "Compliance" in html
    assert STALE_NOTE not in html


def test_the_review_page_marks_the_out_of_date_translations(client, agent, manager, criteria):
    review = _published(_interaction(agent), manager, criteria)
    client.force_login(_in_russian(agent).user)

    html = client.get(reverse("qa:review_detail", args=[review.pk])).content.decode()

    ratings = html.split('data-testid="ratings"')[1].split("</table>")[0]
    assert ratings.count(STALE_NOTE) == 2


def test_the_explain_page_marks_an_out_of_date_metric_label(client, agent, version):
    client.force_login(_in_russian(agent).user)
    day = timezone.localdate() - dt.timedelta(days=1)

    html = client.get(reverse("scorecards:my_explain", args=[day])).content.decode()

    assert "Решено с первого раза" in html
    assert html.count(STALE_NOTE) == 1


def test_the_rules_page_marks_an_out_of_date_section_label(client, agent, version):
    client.force_login(_in_russian(agent).user)

    html = client.get(
        reverse("scorecards:rules_detail", args=[version.scorecard.slug])
    ).content.decode()

    compliance = html.split('data-section="compliance"')[1].split('data-section="')[0]
    heading = compliance.split("</h3>")[1].split('data-criterion="')[0]
    assert STALE_NOTE in heading
    opening = html.split('data-section="opening"')[1].split('data-section="compliance"')[0]
    assert STALE_NOTE not in opening.split('data-criterion="')[0]


def test_the_dispute_and_its_resolution_name_the_ratings_in_the_readers_language(
    client, team, agent, manager, criteria
):
    review = _published(_interaction(agent), manager, criteria)
    client.force_login(_in_russian(agent).user)
    dispute = client.get(reverse("qa:review_detail", args=[review.pk])).content.decode()
    qa_services.qa_review_dispute(
        review=review, agent=agent, proposals={criteria["escalation"].pk: (4, "Checked.")}
    )
    client.force_login(_in_russian(_second_manager(team)).user)

    resolve = client.get(reverse("qa:review_resolve", args=[review.pk])).content.decode()

    for html in (dispute, resolve):
        assert "4 — Отлично" in html
        assert "Excellent" not in html
        assert "Meets expectations" not in html
