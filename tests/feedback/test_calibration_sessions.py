import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback import calibration_selectors, calibration_services, qa_services, qa_tasks
from feedback.choices import ReviewReason, ReviewStatus
from feedback.models import CalibrationReference, CalibrationSession, QAReview
from scorecards.choices import MetricCode
from scorecards.dirty import local_day
from scorecards.engine.rows import scores_compute
from scorecards.models import EmployeeDailyScore
from staff.choices import Role
from tests.factories import (
    CalibrationSessionFactory,
    EmployeeFactory,
    InteractionFactory,
    PublishedVersionFactory,
    TeamFactory,
    TeamMembershipFactory,
)

CRITERIA = [
    {"code": "greeting", "label": "Greeting", "weight": 1, "position": 1},
    {"code": "solving", "label": "Problem solving", "weight": 2, "position": 2},
    {"code": "courtesy", "label": "Courtesy", "weight": 1, "position": 3},
]


@pytest.fixture
def criteria(team):
    version = PublishedVersionFactory(
        scorecard=team.scorecard, metrics=[{"code": MetricCode.QA}], criteria=CRITERIA
    )
    return {criterion.code: criterion for criterion in version.qa_criteria.all()}


def _manager(team, first_name):
    person = EmployeeFactory(role=Role.MANAGER, user__first_name=first_name)
    team.managers.add(person)
    return person


@pytest.fixture
def people(team, manager):
    """The session's lead (`manager`) and three reviewers, all managers of the agent's team."""
    return {
        "lead": manager,
        "ann": _manager(team, "Ann"),
        "ben": _manager(team, "Ben"),
        "cid": _manager(team, "Cid"),
    }


@pytest.fixture
def interactions(agent, criteria):
    opened = timezone.now() - dt.timedelta(hours=5)
    return [
        InteractionFactory(
            employee=agent,
            subject=f"Ticket {number}",
            opened_at=opened + dt.timedelta(minutes=number),
            resolved_at=opened + dt.timedelta(hours=1),
        )
        for number in (1, 2)
    ]


@pytest.fixture
def session(people, interactions):
    return calibration_services.calibration_session_create(
        title="March calibration",
        deadline=timezone.now() + dt.timedelta(days=3),
        interactions=interactions,
        reviewers=[people["ann"], people["ben"], people["cid"]],
        actor=people["lead"],
    )


def _rate(session, reviewer, interaction, criteria, **ratings):
    review = QAReview.objects.get(
        calibration_session=session, reviewer=reviewer, interaction=interaction
    )
    values = {criteria[code].pk: (value, "") for code, value in ratings.items()}
    return qa_services.qa_review_save_and_publish(review=review, actor=reviewer, ratings=values)


def _rate_all(session, people, interactions, criteria):
    """Everybody rates everything; the first interaction's ratings are the hand-checked ones."""
    first, second = interactions
    _rate(session, people["ann"], first, criteria, greeting=4, solving=2, courtesy=None)
    _rate(session, people["ben"], first, criteria, greeting=3, solving=0, courtesy=2)
    _rate(session, people["cid"], first, criteria, greeting=4, solving=1, courtesy=2)
    for name in ("ann", "ben", "cid"):
        _rate(session, people[name], second, criteria, greeting=2, solving=2, courtesy=2)


# ---- creating ------------------------------------------------------------------------------


def test_a_session_gives_each_reviewer_a_calibration_draft_of_each_interaction(
    session, people, interactions
):
    reviews = QAReview.objects.filter(calibration_session=session)

    assert reviews.count() == 6
    assert set(reviews.values_list("reason", flat=True)) == {ReviewReason.CALIBRATION}
    assert set(reviews.values_list("status", flat=True)) == {ReviewStatus.DRAFT}
    assert set(reviews.values_list("reviewer", flat=True)) == {
        people[name].pk for name in ("ann", "ben", "cid")
    }
    assert set(session.interactions.all()) == set(interactions)


def test_a_reviewer_who_already_reviewed_an_interaction_is_refused_and_nothing_is_written(
    people, interactions, criteria
):
    qa_services.qa_review_start(interaction=interactions[0], reviewer=people["ann"])

    with pytest.raises(ValidationError) as error:
        calibration_services.calibration_session_create(
            title="Again",
            deadline=timezone.now() + dt.timedelta(days=1),
            interactions=interactions,
            reviewers=[people["ann"], people["ben"]],
            actor=people["lead"],
        )

    assert "interactions" in error.value.message_dict
    assert not CalibrationSession.objects.exists()
    assert QAReview.objects.count() == 1


def test_the_new_session_form_shows_each_error_at_its_field(client, people, interactions, team):
    outsider = EmployeeFactory(role=Role.MANAGER)
    TeamFactory().managers.add(outsider)
    client.force_login(people["lead"].user)
    url = reverse("qa:calibration_session_new")
    past = timezone.localtime() - dt.timedelta(days=1)

    response = client.post(
        url,
        {
            "title": "Bad",
            "deadline": past.strftime("%Y-%m-%dT%H:%M"),
            "reviewers": [people["ann"].pk],
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["deadline"] == ["Set a deadline in the future."]
    assert errors["reviewers"] == ["Choose at least two reviewers to compare."]
    assert "interactions" in errors
    response = client.post(
        url,
        {
            "title": "Outsider",
            "deadline": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "interactions": [interactions[0].pk],
            "reviewers": [people["ann"].pk, outsider.pk],
        },
    )
    assert response.status_code == 400
    assert "reviewers" in response.context["form"].errors
    assert not CalibrationSession.objects.exists()
    response = client.post(
        url,
        {
            "title": "Good",
            "deadline": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "interactions": [interactions[0].pk],
            "reviewers": [people["ann"].pk, people["ben"].pk],
        },
    )
    created = CalibrationSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("qa:calibration_session", args=[created.pk])
    assert created.reviews.count() == 2


# ---- the blind rule --------------------------------------------------------------------------


def test_a_reviewer_does_not_see_another_reviewers_rating_before_the_reveal(
    client, session, people, interactions, criteria
):
    ann_review = _rate(
        session, people["ann"], interactions[0], criteria, greeting=0, solving=0, courtesy=0
    )
    client.force_login(people["ben"].user)

    page = client.get(reverse("qa:calibration_session", args=[session.pk]))

    assert page.context["view"].status == calibration_selectors.SessionStatus.OPEN
    assert [reviewer.pk for reviewer in page.context["view"].columns] == [people["ben"].pk]
    assert "Ann" not in page.content.decode().split("calibration-spread")[-1]
    # Nor through the review pages or the per-interaction comparison.
    assert client.get(reverse("qa:review_detail", args=[ann_review.pk])).status_code == 404
    listed = client.get(reverse("qa:my_reviews"))
    assert ann_review not in listed.context["page"].object_list
    comparison = client.get(reverse("qa:calibration_detail", args=[interactions[0].pk]))
    assert ann_review not in comparison.context["comparison"].reviews
    # The lead sees who has rated, not what.
    client.force_login(people["lead"].user)
    lead_page = client.get(reverse("qa:calibration_session", args=[session.pk]))
    assert lead_page.context["view"].spreads == []
    assert lead_page.context["view"].progress[0].cells[0][0] == "rated"
    assert 'data-testid="calibration-spread"' not in lead_page.content.decode()


def test_everyone_rating_reveals_the_session(session, people, interactions, criteria):
    _rate_all(session, people, interactions, criteria)

    view = calibration_selectors.calibration_session_view(
        session=session, employee=people["ben"], now=timezone.now(), language="en"
    )

    assert view.status == calibration_selectors.SessionStatus.REVEALED
    assert [reviewer.pk for reviewer in view.columns] == [
        people["ann"].pk,
        people["ben"].pk,
        people["cid"].pk,
    ]
    assert view.spreads[0].rows[0].ratings == [4, 3, 4]


def test_the_deadline_reveals_the_session_and_ends_rating(
    client, session, people, interactions, criteria
):
    _rate(session, people["ann"], interactions[0], criteria, greeting=1, solving=1, courtesy=1)
    late = QAReview.objects.get(
        calibration_session=session, reviewer=people["ben"], interaction=interactions[0]
    )
    client.force_login(people["ben"].user)
    assert late in client.get(reverse("qa:queue")).context["page"].object_list
    CalibrationSession.objects.filter(pk=session.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )

    view = client.get(reverse("qa:calibration_session", args=[session.pk])).context["view"]

    assert view.status == calibration_selectors.SessionStatus.REVEALED
    assert view.spreads[0].rows[0].ratings == [1, "", ""]
    with pytest.raises(ValidationError):
        qa_services.qa_review_save(
            review=late, actor=people["ben"], ratings={criteria["greeting"].pk: (1, "")}
        )
    # The drafts left leave the reviewer's queue.
    queue = client.get(reverse("qa:queue")).context["page"].object_list
    assert late not in queue


# ---- spread and references -------------------------------------------------------------------


def test_the_spread_and_distances_match_a_hand_computation(
    client, session, people, interactions, criteria
):
    _rate_all(session, people, interactions, criteria)
    calibration_services.calibration_reference_set(
        session=session,
        interaction=interactions[0],
        references={
            criteria["greeting"].pk: (4, "Name and offer"),
            criteria["solving"].pk: (1, ""),
            criteria["courtesy"].pk: (2, ""),
        },
        actor=people["lead"],
    )
    client.force_login(people["lead"].user)

    response = client.get(reverse("qa:calibration_session", args=[session.pk]))

    view = response.context["view"]
    greeting, solving, courtesy = view.spreads[0].rows
    # Ann 4/2/N/A, Ben 3/0/2, Cid 4/1/2.
    assert (greeting.low, greeting.high, greeting.range, greeting.agrees) == (3, 4, 1, True)
    assert (solving.low, solving.high, solving.range, solving.agrees) == (0, 2, 2, False)
    # A mix of N/A and ratings is a disagreement, whatever the range.
    assert (courtesy.low, courtesy.high, courtesy.range, courtesy.agrees) == (2, 2, 0, False)
    assert greeting.distances == [0, 1, 0]
    assert solving.distances == [1, 1, 0]
    assert courtesy.distances == [None, 0, 0]
    means = {row.reviewer.pk: row.mean for row in view.distances}
    assert means == {
        people["ann"].pk: Decimal("0.50"),  # (0 + 1) / 2
        people["ben"].pk: Decimal("0.67"),  # (1 + 1 + 0) / 3
        people["cid"].pk: Decimal("0.00"),
    }
    html = response.content.decode()
    assert "Name and offer" in html
    assert "0–2" in html


def test_the_reference_form_refuses_bad_input_at_its_fields(
    client, session, people, interactions, criteria
):
    url = reverse("qa:calibration_reference", args=[session.pk, interactions[0].pk])
    greeting = f"i{interactions[0].pk}-reference_{criteria['greeting'].pk}"
    client.force_login(people["lead"].user)

    # Before the reveal there is nothing to agree on yet.
    response = client.post(url, {greeting: "3"})
    assert response.status_code == 302
    assert not CalibrationReference.objects.exists()
    _rate_all(session, people, interactions, criteria)

    response = client.post(url, {greeting: ""})
    assert response.status_code == 400
    form = response.context["sections"][0]["form"]
    assert form.non_field_errors() == ["Set the reference rating of at least one criterion."]
    response = client.post(url, {greeting: "9"})
    assert response.status_code == 400
    assert f"reference_{criteria['greeting'].pk}" in response.context["sections"][0]["form"].errors
    # A reviewer is not the lead.
    client.force_login(people["ann"].user)
    assert client.post(url, {greeting: "3"}).status_code == 302
    assert not CalibrationReference.objects.exists()
    with pytest.raises(ValidationError):
        calibration_services.calibration_reference_set(
            session=session,
            interaction=interactions[0],
            references={criteria["greeting"].pk: (3, "")},
            actor=people["ann"],
        )
    client.force_login(people["lead"].user)
    assert client.post(url, {greeting: "na"}).status_code == 302
    assert CalibrationReference.objects.get().rating is None


# ---- scores, list, permissions ---------------------------------------------------------------


def test_session_ratings_never_change_the_agents_qa_score(
    session, people, interactions, criteria, manager, agent
):
    scored = qa_services.qa_review_save_and_publish(
        review=qa_services.qa_review_start(interaction=interactions[0], reviewer=manager),
        actor=manager,
        ratings={criterion.pk: (4, "") for criterion in criteria.values()},
    )
    day = local_day(scored.published_at)
    scores_compute(date_from=day, date_to=day)
    before = EmployeeDailyScore.objects.get(employee=agent, day=day).metrics["qa"]

    for interaction in interactions:
        for name in ("ann", "ben", "cid"):
            _rate(session, people[name], interaction, criteria, greeting=0, solving=0, courtesy=0)
    scores_compute(date_from=day, date_to=day)

    after = EmployeeDailyScore.objects.get(employee=agent, day=day).metrics["qa"]
    assert Decimal(str(before["value"])) == Decimal("100")
    assert after == before


def test_the_list_shows_each_sessions_status_and_an_empty_state(
    client, session, people, interactions, criteria
):
    client.force_login(people["lead"].user)
    assert client.get(reverse("qa:calibration_sessions")).context["page"][0].status == "open"
    _rate_all(session, people, interactions, criteria)
    assert client.get(reverse("qa:calibration_sessions")).context["page"][0].status == "revealed"
    client.post(reverse("qa:calibration_session_close", args=[session.pk]))
    assert client.get(reverse("qa:calibration_sessions")).context["page"][0].status == "closed"

    client.force_login(EmployeeFactory(role=Role.MANAGER).user)
    response = client.get(reverse("qa:calibration_sessions"))
    assert 'data-testid="calibration-sessions-empty"' in response.content.decode()


def test_only_the_people_of_a_session_open_it(client, session, people, agent):
    url = reverse("qa:calibration_session", args=[session.pk])
    other = EmployeeFactory(role=Role.MANAGER)
    TeamMembershipFactory(employee=EmployeeFactory(role=Role.AGENT), team=TeamFactory())

    for person, status in ((agent, 403), (other, 404), (people["ann"], 200), (people["lead"], 200)):
        client.force_login(person.user)
        assert client.get(url).status_code == status, person
    client.force_login(people["ann"].user)
    assert (
        client.post(reverse("qa:calibration_session_close", args=[session.pk])).status_code == 302
    )
    assert CalibrationSession.objects.get().closed_at is None


def test_the_agent_page_does_not_show_another_reviewers_session_review_before_the_reveal(
    client, session, people, interactions, criteria, agent
):
    ann_review = _rate(
        session, people["ann"], interactions[0], criteria, greeting=0, solving=0, courtesy=0
    )
    client.force_login(people["ben"].user)

    page = client.get(reverse("scorecards:agent_detail", args=[agent.pk]))

    assert ann_review not in page.context["overview"].reviews
    client.force_login(people["ann"].user)
    page = client.get(reverse("scorecards:agent_detail", args=[agent.pk]))
    assert ann_review in page.context["overview"].reviews


def test_the_session_page_reads_in_a_fixed_number_of_queries(
    client, session, people, interactions, criteria, django_assert_max_num_queries
):
    _rate_all(session, people, interactions, criteria)
    client.force_login(people["lead"].user)

    with django_assert_max_num_queries(QUERIES):
        response = client.get(reverse("qa:calibration_session", args=[session.pk]))

    assert response.status_code == 200


# Session, user, reviewers, interactions, progress, readable reviews with their ratings and
# criteria, references and the layout's own reads: the same however many interactions and
# reviewers.
QUERIES = 11


def test_a_session_rating_is_published_from_the_review_form_without_telling_the_agent(
    client,
    session,
    people,
    interactions,
    criteria,
    mailoutbox,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    # Run the e-mail task in-process when a commit publishes it (no broker in these tests).
    monkeypatch.setattr(
        qa_tasks.qa_review_email_send,
        "apply_async",
        lambda args, retry: qa_tasks.qa_review_email_send.apply(args=args),
    )
    review = QAReview.objects.get(
        calibration_session=session, reviewer=people["ann"], interaction=interactions[0]
    )
    client.force_login(people["ann"].user)
    url = reverse("qa:review_edit", args=[review.pk])
    assert "calibration-session-notice" in client.get(url).content.decode()
    data = {"action": "publish", "comment": ""}
    data.update({f"rating_{criterion.pk}": "2" for criterion in criteria.values()})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response["Location"] == reverse("qa:calibration_session", args=[session.pk])
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert review.scored_at is None
    assert mailoutbox == []
    # A review outside the session tells the agent, through the same form.
    plain = qa_services.qa_review_start(interaction=interactions[1], reviewer=people["lead"])
    client.force_login(people["lead"].user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("qa:review_edit", args=[plain.pk]), data)
    assert len(mailoutbox) == 1


def test_the_session_list_pages_by_25(client, people):
    for _number in range(26):
        CalibrationSessionFactory(created_by=people["lead"])
    client.force_login(people["lead"].user)

    first = client.get(reverse("qa:calibration_sessions"))
    second = client.get(reverse("qa:calibration_sessions"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 1
    assert "page=2" in first.content.decode()


def test_the_new_session_form_offers_the_latest_or_the_found_interactions_only(
    client, people, interactions
):
    client.force_login(people["lead"].user)
    url = reverse("qa:calibration_session_new")

    offered = client.get(url).context["form"].fields["interactions"].widget.choices
    found = client.get(url, {"q": "Ticket 2"}).context["form"].fields["interactions"].widget.choices

    assert {pk for pk, _label in offered} == {interaction.pk for interaction in interactions}
    assert [pk for pk, _label in found] == [interactions[1].pk]
    # A pick made before a new search stays offered, and any candidate validates.
    response = client.post(
        f"{url}?q=Ticket+2",
        {"title": "", "interactions": [interactions[0].pk], "reviewers": []},
    )
    form = response.context["form"]
    assert {pk for pk, _label in form.fields["interactions"].widget.choices} == {
        interaction.pk for interaction in interactions
    }
    assert "interactions" not in form.errors
