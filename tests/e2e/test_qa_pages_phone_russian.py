"""The QA lead's newer pages (calibration sessions, sampling, the sectioned review and dispute,
the editor's read-only version) as a manager and an agent would read them: in Russian, on a
390×844 phone. Nothing scrolls sideways, axe finds nothing serious, no page turns them away."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from feedback import calibration_services, qa_services
from scorecards.choices import MetricCode, SectionAutoFail
from scorecards.models import QACriterion, QASection
from scorecards.translations import source_hash, translations_for_texts
from staff.choices import Role
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.sweep import PHONE, language_set, page_measure
from tests.e2e.sweep import sign_in as sweep_sign_in
from tests.factories import (
    EmployeeFactory,
    InteractionFactory,
    MetricFactory,
    QACriterionFactory,
    QASectionFactory,
    ScorecardVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.scorecards.test_qa_sections import _publish

PASSWORD = "pass-word-123"


def _manager(team, username, first_name):
    person = EmployeeFactory(
        user=UserFactory(username=username, first_name=first_name, last_name="Bērziņš"),
        role=Role.MANAGER,
    )
    team.managers.add(person)
    return person


def _sectioned_version():
    """A draft in two sections, some of its texts in Russian (one out of date)."""
    version = ScorecardVersionFactory(effective_from=dt.date(2020, 1, 1), intro="Welcome.")
    MetricFactory(version=version, code=MetricCode.FCR)
    MetricFactory(version=version, code=MetricCode.QA)
    opening = QASectionFactory(
        version=version, code="opening", label="Opening the conversation", weight=1, position=1
    )
    compliance = QASectionFactory(
        version=version,
        code="compliance",
        label="Compliance with the data protection rules",
        weight=3,
        auto_fail=SectionAutoFail.REVIEW,
        position=2,
    )
    for position, (section, code, label, critical) in enumerate(
        [
            (opening, "greeting", "Greeting", False),
            (opening, "listening", "Active listening and restating the problem", False),
            (compliance, "identity", "Verified the caller's identity before any change", True),
            (compliance, "courtesy", "Courtesy", False),
        ]
    ):
        QACriterionFactory(
            version=version,
            section=section,
            code=code,
            label=label,
            is_critical=critical,
            position=position,
        )
    QASection.objects.filter(pk=compliance.pk).update(
        translations={
            "ru": {
                "label": "Соблюдение правил защиты данных",
                "_source": {"label": source_hash("Rules")},
            }
        }
    )
    QASection.objects.filter(pk=opening.pk).update(
        translations=translations_for_texts(
            texts={"ru": {"label": "Начало разговора"}},
            english={"label": "Opening the conversation"},
        )
    )
    QACriterion.objects.filter(version=version, code="greeting").update(
        translations=translations_for_texts(
            texts={"ru": {"label": "Приветствие"}}, english={"label": "Greeting"}
        )
    )
    return version


def _calibrations(*, interactions, criteria, agent, lead, pair):
    """An open session (one rating in) and a closed one whose two reviewers disagree."""
    ann, ben = pair
    opened = interactions[0].opened_at
    session = calibration_services.calibration_session_create(
        title="Калибровка: март",
        deadline=timezone.now() + dt.timedelta(days=3),
        interactions=interactions[:2],
        reviewers=[ann, ben],
        actor=lead,
    )
    rated = session.reviews.filter(reviewer=ann, interaction=interactions[0]).get()
    qa_services.qa_review_save_and_publish(
        review=rated, actor=ann, ratings={criterion.pk: (3, "") for criterion in criteria.values()}
    )
    closed = calibration_services.calibration_session_create(
        title="Калибровка: февраль",
        deadline=timezone.now() + dt.timedelta(days=3),
        interactions=[
            InteractionFactory(
                employee=agent,
                subject=f"Возврат товара, обращение {number}",
                opened_at=opened + dt.timedelta(minutes=10 + number),
                resolved_at=opened + dt.timedelta(hours=2),
            )
            for number in range(2)
        ],
        reviewers=[ann, ben],
        actor=lead,
    )
    for reviewer, value in ((ann, 1), (ben, 4)):
        for review in closed.reviews.filter(reviewer=reviewer):
            qa_services.qa_review_save_and_publish(
                review=review,
                actor=reviewer,
                ratings={criterion.pk: (value, "") for criterion in criteria.values()},
            )
    calibration_services.calibration_session_close(session=closed, actor=lead)
    return session, closed


@pytest.fixture
def world():
    version = _publish(_sectioned_version())
    team = TeamFactory(name="Rīgas atbalsts", slug="riga", scorecard=version.scorecard)
    agent = EmployeeFactory(
        user=UserFactory(username="anna", first_name="Anna", last_name="Ozola"), role=Role.AGENT
    )
    TeamMembershipFactory(employee=agent, team=team)
    lead = _manager(team, "maris", "Māris")
    lead.user.user_permissions.add(Permission.objects.get(codename="change_scorecardversion"))
    ann = _manager(team, "liga", "Līga")
    ben = _manager(team, "janis", "Jānis")
    opened = timezone.now() - dt.timedelta(hours=6)
    interactions = [
        InteractionFactory(
            employee=agent,
            subject=f"Счёт-фактура с неправильной ставкой НДС, обращение {number}",
            opened_at=opened + dt.timedelta(minutes=number),
            resolved_at=opened + dt.timedelta(hours=1),
        )
        for number in range(3)
    ]
    criteria = {c.code: c for c in version.qa_criteria.all()}
    review = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(interaction=interactions[0], reviewer=lead),
        actor=lead,
        ratings={criterion.pk: (2, "") for criterion in criteria.values()},
    )
    disputed = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(interaction=interactions[1], reviewer=lead),
        actor=lead,
        ratings={criterion.pk: (1, "") for criterion in criteria.values()},
    )
    qa_services.qa_review_dispute(
        review=disputed,
        agent=agent,
        proposals={criteria["identity"].pk: (4, "Я проверила личность по дате рождения.")},
    )
    draft = qa_services.qa_review_start(interaction=interactions[2], reviewer=lead)
    session, closed = _calibrations(
        interactions=interactions, criteria=criteria, agent=agent, lead=lead, pair=(ann, ben)
    )
    return {
        "closed": closed,
        "version": version,
        "review": review,
        "disputed": disputed,
        "draft": draft,
        "session": session,
        "interaction": interactions[0],
    }


def _visit(browser, live_server, username, paths, name):
    context = browser.new_context(viewport=PHONE, bypass_csp=True, reduced_motion="reduce")
    page = context.new_page()
    sweep_sign_in(page, live_server.url, username, PASSWORD)
    language_set(page, live_server.url, "ru")
    problems = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(paths):
        response = page.goto(live_server.url + path)
        if response is None or response.status != 200:
            problems.append(f"{path}: answered {response and response.status}")
        problems += page_measure(page, path).problems()
        if page.url != live_server.url + path:
            problems.append(f"{path}: ended at {page.url}")
        if page.locator("html").get_attribute("lang") != "ru":
            problems.append(f"{path}: not in Russian")
        page.screenshot(path=str(SCREENSHOTS / f"qa-phone-ru-{name}-{index}.png"), full_page=True)
    context.close()
    return problems


@pytest.mark.django_db(transaction=True)
def test_a_manager_reads_the_qa_pages_in_russian_on_a_phone(browser, live_server, world):
    session, version = world["session"], world["version"]
    paths = [
        reverse("qa:calibration_sessions"),
        reverse("qa:calibration_session_new"),
        reverse("qa:calibration_session", args=[session.pk]),
        reverse("qa:calibration_session", args=[world["closed"].pk]),
        reverse("qa:calibration_detail", args=[world["interaction"].pk]),
        reverse("qa:sampling"),
        reverse("qa:review_edit", args=[world["draft"].pk]),
        reverse("qa:review_detail", args=[world["review"].pk]),
        reverse("scorecards:editor_version", args=[version.scorecard.slug, version.number]),
    ]

    assert _visit(browser, live_server, "maris", paths, "manager") == []


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_and_an_agent_read_theirs_in_russian_on_a_phone(browser, live_server, world):
    calibrating = [
        reverse("qa:calibration_sessions"),
        reverse("qa:calibration_session", args=[world["session"].pk]),
        # A manager other than the review's author decides the dispute.
        reverse("qa:review_resolve", args=[world["disputed"].pk]),
    ]
    agent = [
        reverse("qa:review_detail", args=[world["review"].pk]),
        reverse("qa:review_detail", args=[world["disputed"].pk]),
        reverse("scorecards:rules_detail", args=[world["version"].scorecard.slug]),
    ]

    problems = _visit(browser, live_server, "liga", calibrating, "reviewer")
    problems += _visit(browser, live_server, "anna", agent, "agent")

    assert problems == []
