"""The demo's feedback: survey answers, QA reviews with their disputes, goals, acknowledgements."""

import datetime as dt
import math
from decimal import Decimal

from django.db.models import Count, F

from crs_site.lib.numbers import quantize
from feedback.choices import (
    DisputeOutcome,
    ReviewAction,
    ReviewReason,
    ReviewStatus,
    SamplingRuleKind,
)
from feedback.models import (
    QADisputeItem,
    QARating,
    QAReview,
    QAReviewEvent,
    ReviewerQuota,
    SamplingRule,
    SurveyInvitation,
    SurveyResponse,
)
from feedback.qa_scoring import qa_review_total
from feedback.qa_selectors import criterion_rating
from scorecards.demo.organisation import (
    BATCH_SIZE,
    CRITERION_SHIFT,
    TEAMS,
    Draft,
    bulk_create_dated,
    clamp,
)
from scorecards.demo.people_content import (
    COMMENTS,
    DISPUTE_REASON,
    DISPUTE_RESOLUTION,
    EARLIER_GOAL_TARGETS,
    GOALS,
    REVIEW_COMMENTS,
)
from scorecards.models import (
    Goal,
    RuleAcknowledgement,
)
from staff.choices import Role
from staff.models import Employee, TeamMembership

# The team whose sampling rules go beyond the random draw.
SAMPLING_TEAM = "riga-support"
# Each team's weekly random sample per agent (its random sampling rule): key accounts get more.
SAMPLE_SIZES = {spec.slug: 4 if spec.kind == "key" else 3 for spec in TEAMS}


class FeedbackDraw:
    """The builder's steps that draw what customers and reviewers say about the interactions."""

    def surveys_create(self) -> None:
        rng = self.rng
        last_invited: dict[int, dt.date] = {}
        invitations, responses = [], []
        for draft in self.drafts:
            customer = draft.customer
            resolved_day = draft.resolved.astimezone(self.zone).date()
            previous = last_invited.get(customer.pk)
            if customer.has_opted_out_of_surveys or (
                previous is not None and (resolved_day - previous).days < 2
            ):
                continue
            if rng.random() >= 0.6:
                continue
            last_invited[customer.pk] = resolved_day
            sent = draft.resolved + dt.timedelta(minutes=5)
            invitation = SurveyInvitation(
                language=customer.language,
                nonce=f"{rng.getrandbits(128):032x}",
                expires_at=sent + dt.timedelta(days=14),
                sent_at=sent,
            )
            answered = None
            if rng.random() < 0.4:
                delay = min(13 * 24.0, rng.lognormvariate(math.log(3), 1.2))
                answered = sent + dt.timedelta(hours=delay)
                csat, nps, comment = self.answer_draw(draft)
            if draft.row is None or draft.row.resolved_at is None or sent > self.now:
                continue
            invitation.interaction = draft.row
            invitations.append(invitation)
            if answered is not None and answered <= self.now:
                invitation.used_at = answered
                responses.append(
                    SurveyResponse(
                        interaction=draft.row,
                        invitation=invitation,
                        csat=csat,
                        nps=nps,
                        comment=comment,
                        language=customer.language,
                        submitted_at=answered,
                    )
                )
        SurveyInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
        SurveyInvitation.objects.filter(pk__in=[row.pk for row in invitations]).update(
            created_at=F("sent_at")
        )
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        self.counts.update(survey_invitations=len(invitations), survey_responses=len(responses))

    def answer_draw(self, draft: Draft) -> tuple[int, int | None, str]:
        rng = self.rng
        hours = (draft.resolved - draft.opened).total_seconds() / 3600
        waited = (draft.responded - draft.opened).total_seconds() / 60
        mood = (
            4.3
            + 0.55 * draft.quality
            + 0.3 * draft.is_fcr
            - 0.8 * draft.is_escalated
            - 0.5 * (hours > 24)
            - 0.4 * (waited > 60)
            - 0.6 * (draft.follow_up_outcome == "missed")
            + rng.gauss(0, 0.85)
        )
        csat = int(clamp(round(mood), 1, 5))
        nps = None
        if rng.random() < 0.85:
            nps = int(clamp(round(csat * 2 - 0.3 + rng.gauss(0, 1.3)), 0, 10))
        comment = ""
        if rng.random() < 0.45:
            mood_key = "good" if csat >= 4 else "fair" if csat == 3 else "poor"
            comment = rng.choice(COMMENTS[draft.customer.language][mood_key])
        return csat, nps, comment

    def reviews_create(self) -> None:
        rng = self.rng
        weeks: dict[tuple[int, dt.date], list[Draft]] = {}
        for draft in self.drafts:
            day = draft.opened.astimezone(self.zone).date()
            monday = day - dt.timedelta(days=day.weekday())
            weeks.setdefault((draft.person.employee.pk, monday), []).append(draft)
        reviews, ratings, events = [], [], []
        # Disputes are decided by someone other than the review's author: the QA lead (admin).
        self.quality_lead = Employee.objects.filter(role=Role.ADMIN).order_by("pk").first()
        self.dispute_items: list[QADisputeItem] = []
        for (_employee_id, _monday), candidates in weeks.items():
            size = SAMPLE_SIZES[candidates[0].spec.slug]
            for draft in rng.sample(candidates, min(size, len(candidates))):
                review, review_ratings, review_events = self.review_draw(draft)
                if review is None:
                    continue
                reviews.append(review)
                ratings += review_ratings
                events += review_events
        bulk_create_dated(QAReview, reviews, "created_at")
        QARating.objects.bulk_create(ratings, batch_size=BATCH_SIZE)
        for item in self.dispute_items:
            item.review_id = item.review.pk
        QADisputeItem.objects.bulk_create(self.dispute_items)
        bulk_create_dated(QAReviewEvent, events, "at")
        self.counts.update(qa_reviews=len(reviews), qa_ratings=len(ratings))

    def sampling_create(self) -> None:
        """Every team samples at random at its size; Riga Support also samples every CSAT ≤ 2
        answer and its new hires at a higher rate; every team manager has a weekly quota, so
        their queues show progress."""
        rules = [
            SamplingRule(
                team=team,
                kind=SamplingRuleKind.RANDOM,
                is_enabled=True,
                per_agent=SAMPLE_SIZES[slug],
            )
            for slug, team in self.teams.items()
        ]
        team = self.teams[SAMPLING_TEAM]
        rules += [
            SamplingRule(team=team, kind=SamplingRuleKind.LOW_CSAT, is_enabled=True),
            SamplingRule(
                team=team,
                kind=SamplingRuleKind.NEW_HIRE,
                is_enabled=True,
                per_agent=SAMPLE_SIZES[SAMPLING_TEAM] * 2,
                new_hire_weeks=4,
            ),
        ]
        SamplingRule.objects.bulk_create(rules)
        # A manager is expected to review their agents' weekly samples: the team's sample size
        # times its current agents.
        agents = dict(
            TeamMembership.objects.on_day(self.today)
            .filter(employee__role=Role.AGENT)
            .values("team__slug")
            .annotate(count=Count("pk"))
            .values_list("team__slug", "count")
            .order_by()
        )
        quotas = [
            ReviewerQuota(
                reviewer=manager,
                reviews_per_week=max(1, SAMPLE_SIZES[slug] * agents.get(slug, 0)),
            )
            for slug, manager in sorted(self.managers.items())
        ]
        ReviewerQuota.objects.bulk_create(quotas)
        self.counts.update(sampling_rules=len(rules), reviewer_quotas=len(quotas))

    def review_draw(self, draft: Draft):
        rng = self.rng
        reviewer = self.managers[draft.spec.slug]
        published = self.into_hours(
            draft.spec, draft.resolved + dt.timedelta(hours=rng.uniform(20, 96))
        )
        ratings = self.ratings_draw(draft)
        total = quantize(
            qa_review_total(
                ratings=[
                    criterion_rating(criterion=criterion, rating=row.rating)
                    for criterion, row in zip(self.criteria, ratings, strict=True)
                ]
            )
        )
        fate = rng.random()
        disputed = published + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        settled = disputed + dt.timedelta(days=1, hours=rng.uniform(0, 6))
        if draft.row is None or draft.row.resolved_at is None:
            return None, [], []
        agent = draft.person.employee
        review = QAReview(
            interaction=draft.row,
            reviewer=reviewer,
            version=self.version,
            reason=ReviewReason.FLAGGED if draft.is_flagged else ReviewReason.SAMPLE,
            sampled_by="" if draft.is_flagged else SamplingRuleKind.RANDOM,
            created_at=published - dt.timedelta(hours=2),
        )
        for rating in ratings:
            rating.review = review
        events = [
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.CREATED,
                          at=review.created_at),
        ]  # fmt: skip
        if published > self.now:
            review.created_at = min(review.created_at, self.now)
            events[0].at = review.created_at
            return review, ratings, events
        review.status = ReviewStatus.PUBLISHED
        review.total = total
        review.published_at = review.scored_at = published
        review.comment = next(text for floor, text in REVIEW_COMMENTS if total >= floor)
        events.append(
            QAReviewEvent(review=review, actor=reviewer, action=ReviewAction.PUBLISHED,
                          total=total, at=published)
        )  # fmt: skip
        # Most agents read a review within a day; the latest ones are often still unread.
        seen = published + dt.timedelta(hours=self.reading_rng.uniform(1, 30))
        if seen <= self.now and self.reading_rng.random() < 0.85:
            review.seen_at = seen
            events.append(
                QAReviewEvent(review=review, actor=agent, action=ReviewAction.SEEN, at=seen)
            )
        if fate < 0.05 and disputed <= self.now:
            events += self.dispute_draw(
                review=review,
                agent=agent,
                ratings=ratings,
                disputed=disputed,
                settled=settled,
                fate=fate,
            )
        return review, ratings, events

    def ratings_draw(self, draft: Draft) -> list[QARating]:
        """Rate each criterion of the version from the interaction's quality and its facts."""
        rng = self.rng
        ratings = []
        for criterion in self.criteria:
            if criterion.code == "correct-escalation":
                if not draft.is_escalated:
                    rating = None
                elif rng.random() < 0.04:
                    rating = 0
                else:
                    rating = self.rating_draw(draft.quality + 0.2)
            elif criterion.code == "follow-up":
                rating = {
                    "": None,
                    "on_time": rng.choice((3, 4, 4)),
                    "late": rng.choice((1, 2)),
                    "missed": rng.choice((0, 1)),
                }[draft.follow_up_outcome]
            else:
                rating = self.rating_draw(draft.quality + CRITERION_SHIFT.get(criterion.code, 0))
            ratings.append(QARating(criterion=criterion, rating=rating))
        return ratings

    def dispute_draw(
        self,
        *,
        review: QAReview,
        agent,
        ratings: list[QARating],
        disputed: dt.datetime,
        settled: dt.datetime,
        fate: float,
    ) -> list[QAReviewEvent]:
        """Dispute a published review's lowest rating; half the disputes are settled (upheld)
        a day later by the QA lead, not by the review's author."""
        total = review.total
        events = []
        rated = [row for row in ratings if row.rating is not None]
        item = None
        if rated:
            lowest = min(rated, key=lambda row: row.rating)
            item = QADisputeItem(
                review=review,
                criterion=lowest.criterion,
                original_rating=lowest.rating,
                proposed_rating=min(4, lowest.rating + 2),
                reason=DISPUTE_REASON,
            )
            self.dispute_items.append(item)
        review.status = ReviewStatus.DISPUTED
        review.dispute_reason = DISPUTE_REASON
        review.disputed_at = disputed
        events.append(
            QAReviewEvent(review=review, actor=agent, action=ReviewAction.DISPUTED,
                          note=DISPUTE_REASON, at=disputed)
        )  # fmt: skip
        if fate < 0.025 and settled <= self.now:
            review.status = ReviewStatus.RESOLVED
            review.dispute_outcome = DisputeOutcome.UPHELD
            review.resolution_note = DISPUTE_RESOLUTION
            review.resolved_at = settled
            review.resolved_by = self.quality_lead or review.reviewer
            if item is not None:
                item.outcome = DisputeOutcome.UPHELD
                item.resolved_rating = item.original_rating
            events.append(
                QAReviewEvent(review=review, actor=review.resolved_by,
                              action=ReviewAction.RESOLVED, note=DISPUTE_RESOLUTION,
                              total=total, at=settled)
            )  # fmt: skip
        return events

    def rating_draw(self, quality: float) -> int:
        return int(clamp(round(self.rng.gauss(2.9 + 0.7 * quality, 0.75)), 0, 4))

    def goals_create(self) -> None:
        rng = self.rng
        chosen = [self.people[0], *rng.sample(self.people[1:], min(7, len(self.people) - 1))]
        goals = []
        for index, person in enumerate(chosen):
            metric, target, why = GOALS[0] if index == 0 else rng.choice(GOALS)
            language = person.employee.language
            manager = self.managers[person.spells[-1][0].slug]
            starts = self.today - dt.timedelta(days=rng.randint(10, 25))
            goals.append(
                Goal(
                    employee=person.employee,
                    metric=metric,
                    target=Decimal(target),
                    starts_on=starts,
                    ends_on=starts + dt.timedelta(days=60),
                    why=why[language],
                    set_by=manager,
                    created_at=self.at(starts, 11),
                )
            )
            if index % 2 == 0:
                # The goal before this one, set a step lower: most people met it, some not.
                metric, _target, why = rng.choice(GOALS)
                target = EARLIER_GOAL_TARGETS[metric]
                earlier = starts - dt.timedelta(days=60)
                goals.append(
                    Goal(
                        employee=person.employee,
                        metric=metric,
                        target=Decimal(target),
                        starts_on=earlier,
                        ends_on=starts - dt.timedelta(days=1),
                        why=why[language],
                        set_by=manager,
                        created_at=self.at(earlier, 11),
                    )
                )
        bulk_create_dated(Goal, goals, "created_at")
        self.counts["goals"] = len(goals)

    def acknowledgements_create(self) -> None:
        rng = self.rng
        acknowledgements = []
        for employee in self.employees:
            is_new = (self.today - employee.hire_date).days <= 31
            if is_new and rng.random() < 0.5:
                continue
            first = max(employee.hire_date, self.version.effective_from)
            moment = self.at(first + dt.timedelta(days=rng.randint(0, 4)), rng.randint(9, 16))
            acknowledgements.append(
                RuleAcknowledgement(
                    employee=employee, version=self.version, acknowledged_at=min(moment, self.now)
                )
            )
        bulk_create_dated(RuleAcknowledgement, acknowledgements, "acknowledged_at")
        self.counts["rule_acknowledgements"] = len(acknowledgements)
