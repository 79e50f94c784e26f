"""Writes of the QA area: weekly samples, drafts, publication, disputes, calibration, follow-ups.

Every change to a review leaves a `QAReviewEvent` and marks the days its total counted on before
and counts on after, so the scoring engine recomputes them. Interactions are only ever changed
through `customers.services`, which marks their days itself.
"""

import datetime as dt
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crs_site.celery import enqueue_on_commit
from crs_site.lib.numbers import quantize
from customers.models import Interaction
from customers.services import interaction_update
from feedback.choices import (
    DisputeOutcome,
    Rating,
    ReviewAction,
    ReviewReason,
    ReviewStatus,
    SamplingRuleKind,
)
from feedback.models import (
    CalibrationSession,
    QADisputeItem,
    QARating,
    QAReview,
    QAReviewEvent,
    SamplingRule,
)
from feedback.qa_scoring import qa_review_total
from feedback.qa_selectors import criterion_rating
from feedback.sampling_selectors import sampling_rules_for_teams
from feedback.services import qa_review_days_changed, qa_review_publish
from scorecards.dirty import local_day, organisation_zone, qa_review_days
from staff.choices import Role
from staff.models import Employee, Team, TeamMembership

logger = logging.getLogger(__name__)

# The status a published version has; spelled out so this app does not import scorecards' models.
_PUBLISHED_VERSION = "published"

# criterion id -> (rating 0..4 or None for N/A, comment); a criterion left out is not rated yet.
Ratings = Mapping[int, tuple[int | None, str]]

# The low-CSAT sampling rule picks every interaction with an answer this low (1..5 scale).
LOW_CSAT = 2


def week_start_of(day: dt.date) -> dt.date:
    """Return the Monday of the day's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=organisation_zone())


def _version_for(*, team: Team | None, day: dt.date):
    """Return the team's scorecard version in force on the day, or None."""
    if team is None or team.scorecard_id is None:
        return None
    return (
        team.scorecard.versions.filter(status=_PUBLISHED_VERSION, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def _team_on(*, employee_id: int, day: dt.date) -> Team | None:
    membership = (
        TeamMembership.objects.on_day(day)
        .filter(employee_id=employee_id)
        .select_related("team__scorecard")
        .first()
    )
    return membership.team if membership else None


def interaction_review_version(*, interaction: Interaction):
    """Return the version whose criteria a review of the interaction rates (in force that day)."""
    day = local_day(interaction.resolved_at or interaction.opened_at)
    return _version_for(team=_team_on(employee_id=interaction.employee_id, day=day), day=day)


def _event(*, review: QAReview, actor: Employee, action: str, note: str = "") -> QAReviewEvent:
    return QAReviewEvent.objects.create(
        review=review, actor=actor, action=action, note=note, total=review.total
    )


# ---- starting reviews ------------------------------------------------------------------------


def qa_review_start_check(*, interaction: Interaction, reviewer: Employee):
    """Refuse a review nobody may start; return the version it is rated against."""
    if reviewer.role not in (Role.MANAGER, Role.ADMIN):
        raise ValidationError({"reviewer": _("Only managers can review interactions.")})
    if reviewer.pk == interaction.employee_id:
        raise ValidationError({"reviewer": _("Nobody reviews their own interactions.")})
    version = interaction_review_version(interaction=interaction)
    if version is None:
        raise ValidationError(
            {"interaction": _("The agent's team has no scorecard in force to review against.")}
        )
    return version


@transaction.atomic
def qa_review_start(
    *,
    interaction: Interaction,
    reviewer: Employee,
    actor: Employee | None = None,
    reason: str = ReviewReason.FLAGGED,
    sampled_by: str = "",
) -> QAReview:
    """Return the reviewer's review of the interaction, creating an empty draft if there is none.

    `sampled_by` names the sampling rule that picked a weekly-sample draft."""
    existing = QAReview.objects.filter(interaction=interaction, reviewer=reviewer).first()
    if existing is not None:
        return existing
    version = qa_review_start_check(interaction=interaction, reviewer=reviewer)
    review = QAReview.objects.create(
        interaction=interaction,
        reviewer=reviewer,
        version=version,
        reason=reason,
        sampled_by=sampled_by,
    )
    _event(review=review, actor=actor or reviewer, action=ReviewAction.CREATED)
    return review


@dataclass(frozen=True)
class SampleResult:
    week_start: dt.date
    created: int
    agents: int


def sample_pick(*, interaction_ids: Iterable[int], size: int, week_start: dt.date, agent_id: int):
    """Pick `size` ids at random, the same ones for the same week and agent on every run."""
    ordered = sorted(interaction_ids)
    rng = random.Random(f"qa-sample:{week_start.isoformat()}:{agent_id}")
    return sorted(rng.sample(ordered, min(size, len(ordered))))


def sample_rules_pick(
    *,
    rules: Mapping[str, SamplingRule],
    candidates: QuerySet[Interaction],
    agent: Employee,
    week_start: dt.date,
) -> dict[int, str]:
    """Return {interaction id: rule kind} of what the enabled rules pick among an agent's week.

    Rules apply in `SAMPLING_ORDER` and the first one to pick an interaction labels it. An agent
    whose sampled week starts within the new-hire rule's weeks from their hire date gets the
    new-hire draw instead of the weekly one. Both draws are over all the week's interactions
    (`sample_pick`), not what the other rules left, so a survey answered after a run never
    changes the random draw.
    """
    picked: dict[int, str] = {}
    ids = sorted(candidates.values_list("pk", flat=True))
    if not ids:
        return picked
    new_hire = rules.get(SamplingRuleKind.NEW_HIRE)
    is_new_hire = new_hire is not None and week_start < agent.hire_date + dt.timedelta(
        weeks=new_hire.new_hire_weeks
    )
    for kind, rule in rules.items():
        if kind == SamplingRuleKind.LOW_CSAT:
            chosen = candidates.filter(survey_responses__csat__lte=LOW_CSAT).values_list(
                "pk", flat=True
            )
        elif kind == SamplingRuleKind.ESCALATED:
            chosen = candidates.filter(is_escalated=True).values_list("pk", flat=True)
        elif kind == (SamplingRuleKind.NEW_HIRE if is_new_hire else SamplingRuleKind.RANDOM):
            chosen = sample_pick(
                interaction_ids=ids, size=rule.per_agent, week_start=week_start, agent_id=agent.pk
            )
        else:
            continue
        for interaction_id in sorted(set(chosen)):
            picked.setdefault(interaction_id, kind)
    return picked


def qa_sample_week(*, week_start: dt.date) -> SampleResult:
    """Put each agent's weekly sample of resolved interactions in their managers' review queues.

    Each team's enabled sampling rules pick (`sample_rules_pick`); the random draws are seeded by
    week and agent, and an interaction already sampled is never sampled again, so running this
    twice (or after a crash half-way) creates nothing new.
    """
    week_start = week_start_of(week_start)
    week_end = week_start + dt.timedelta(days=6)
    start, end = _local_midnight(week_start), _local_midnight(week_end + dt.timedelta(days=1))
    memberships = list(
        TeamMembership.objects.filter(starts_on__lte=week_end, employee__role=Role.AGENT)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=week_start))
        .select_related("team__scorecard", "employee")
        .prefetch_related("team__managers")
        .order_by("team_id", "employee_id")
    )
    teams = {membership.team_id: membership.team for membership in memberships}
    rules_by_team = {
        team_id: {kind: rule for kind, rule in rules.items() if rule.is_enabled}
        for team_id, rules in sampling_rules_for_teams(teams=teams.values()).items()
    }
    created = 0
    agents = set()
    for membership in memberships:
        team = membership.team
        rules = rules_by_team[team.pk]
        if not rules:
            continue
        reviewers = sorted(
            (m for m in team.managers.all() if m.is_active), key=lambda manager: manager.pk
        )
        if not reviewers:
            logger.warning("Team %s has no manager to review its weekly QA sample", team.pk)
            continue
        span_start = max(start, _local_midnight(membership.starts_on))
        span_end = end
        if membership.ends_on is not None:
            span_end = min(end, _local_midnight(membership.ends_on + dt.timedelta(days=1)))
        candidates = Interaction.objects.filter(
            employee_id=membership.employee_id,
            resolved_at__gte=span_start,
            resolved_at__lt=span_end,
        )
        picked = sample_rules_pick(
            rules=rules, candidates=candidates, agent=membership.employee, week_start=week_start
        )
        if not picked:
            continue
        agents.add(membership.employee_id)
        already = set(
            QAReview.objects.filter(
                interaction_id__in=picked, reason=ReviewReason.SAMPLE
            ).values_list("interaction_id", flat=True)
        )
        reviewer = reviewers[membership.employee_id % len(reviewers)]
        for interaction in Interaction.objects.filter(pk__in=set(picked) - already).order_by("pk"):
            try:
                with transaction.atomic():
                    review = qa_review_start(
                        interaction=interaction,
                        reviewer=reviewer,
                        reason=ReviewReason.SAMPLE,
                        sampled_by=picked[interaction.pk],
                    )
            except ValidationError:
                logger.info("Interaction %s has no version to review against", interaction.pk)
                continue
            if review.reason == ReviewReason.SAMPLE:
                created += 1
    return SampleResult(week_start=week_start, created=created, agents=len(agents))


@transaction.atomic
def interaction_flag_for_review(*, interaction: Interaction) -> Interaction:
    """Flag an interaction so that it appears in its agent's managers' review queues."""
    if interaction.is_flagged_for_review:
        return interaction
    return interaction_update(interaction=interaction, is_flagged_for_review=True)


@transaction.atomic
def qa_calibration_assign(
    *, interaction: Interaction, reviewers: Iterable[Employee], actor: Employee
) -> list[QAReview]:
    """Give the same interaction to several reviewers, each rating it on their own.

    Reviewers are administrators or managers of the team the agent was in that day: anyone else
    would be shown an interaction of a team that is not theirs.
    """
    reviewers = list(reviewers)
    if len(reviewers) < 2:
        raise ValidationError({"reviewers": _("Choose at least two reviewers to compare.")})
    teams = TeamMembership.objects.filter(employee_id=interaction.employee_id).on_day(
        local_day(interaction.opened_at)
    )
    allowed = set(
        Employee.objects.filter(
            Q(role=Role.ADMIN) | Q(managed_teams__in=teams.values("team_id"))
        ).values_list("pk", flat=True)
    )
    outsiders = [reviewer.full_name for reviewer in reviewers if reviewer.pk not in allowed]
    if outsiders:
        raise ValidationError(
            {
                "reviewers": _(
                    "Only the agent's team managers and administrators can calibrate this "
                    "interaction, not: %(names)s."
                )
                % {"names": ", ".join(sorted(outsiders))}
            }
        )
    reviews = []
    for reviewer in reviewers:
        review = qa_review_start(
            interaction=interaction,
            reviewer=reviewer,
            actor=actor,
            reason=ReviewReason.CALIBRATION,
        )
        reviews.append(review)
    return reviews


# ---- rating, publishing ----------------------------------------------------------------------


def _ratings_store(*, review: QAReview, ratings: Ratings) -> None:
    """Replace the review's ratings and recompute its total (`qa_scoring.qa_review_total`)."""
    criteria = {
        criterion.pk: criterion
        for criterion in review.version.qa_criteria.select_related("section")
    }
    errors: dict[str, list[str]] = {}
    for criterion_id, (rating, _comment) in ratings.items():
        if criterion_id not in criteria:
            errors.setdefault("__all__", []).append(
                _("A rated criterion is not part of this review's scorecard version.")
            )
        elif rating is not None and (
            isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= 4
        ):
            errors[f"rating_{criterion_id}"] = [_("Rate from 0 to 4, or mark it N/A.")]
    if errors:
        raise ValidationError(errors)
    QARating.objects.filter(review=review).exclude(criterion_id__in=list(ratings)).delete()
    QARating.objects.bulk_create(
        [
            QARating(review=review, criterion_id=criterion_id, rating=rating, comment=comment)
            for criterion_id, (rating, comment) in sorted(ratings.items())
        ],
        update_conflicts=True,
        unique_fields=["review", "criterion"],
        update_fields=["rating", "comment"],
    )
    review.total = quantize(
        qa_review_total(
            ratings=[
                criterion_rating(criterion=criteria[criterion_id], rating=rating)
                for criterion_id, (rating, _comment) in ratings.items()
            ]
        )
    )


def _locked(review: QAReview) -> QAReview:
    return (
        QAReview.objects.select_for_update(of=("self",))
        .select_related("interaction", "version")
        .get(pk=review.pk)
    )


@transaction.atomic
def qa_review_save(
    *, review: QAReview, actor: Employee, ratings: Ratings, comment: str = "", record: bool = True
) -> QAReview:
    """Save a draft's ratings and comment; its total is recomputed here, never taken as given."""
    review = _locked(review)
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError({"__all__": _("Only a draft review can be changed.")})
    if actor.pk != review.reviewer_id:
        raise ValidationError({"__all__": _("Only the reviewer can change a draft.")})
    if (
        review.calibration_session_id is not None
        and CalibrationSession.objects.revealed(now=timezone.now())
        .filter(pk=review.calibration_session_id)
        .exists()
    ):
        # Once the others' ratings are readable, a late rating would only copy them.
        raise ValidationError(
            {"__all__": _("The calibration session is revealed; its ratings no longer change.")}
        )
    _ratings_store(review=review, ratings=ratings)
    review.comment = comment
    review.save(update_fields=["total", "comment"])
    if record:
        _event(review=review, actor=actor, action=ReviewAction.SAVED)
    return review


@transaction.atomic
def qa_review_save_and_publish(
    *, review: QAReview, actor: Employee, ratings: Ratings, comment: str = ""
) -> QAReview:
    """Save a fully rated draft, publish it and tell the agent."""
    criterion_ids = set(review.version.qa_criteria.values_list("pk", flat=True))
    missing = criterion_ids - set(ratings)
    if missing:
        raise ValidationError(
            {
                f"rating_{criterion_id}": [_("Rate this criterion or mark it N/A.")]
                for criterion_id in sorted(missing)
            }
        )
    # The publication event carries the total; a separate "saved" entry would only repeat it.
    review = qa_review_save(
        review=review, actor=actor, ratings=ratings, comment=comment, record=False
    )
    if review.total is None:
        raise ValidationError(
            {"__all__": _("Rate at least one criterion; not all of them can be N/A.")}
        )
    review = qa_review_publish(review=review, actor=actor)
    if review.calibration_session_id is None:
        # A session's rating is blind until the session reveals: nobody is told of it before.
        _notify(review=review, action=ReviewAction.PUBLISHED)
    return review


# ---- disputes --------------------------------------------------------------------------------


DEFAULT_DISPUTE_WINDOW_DAYS = 7

# criterion id -> (proposed rating 0..4 or None for N/A, reason)
Proposals = Mapping[int, tuple[int | None, str]]
# criterion id -> (outcome, rating decided 0..4 or None for N/A; ignored when upheld)
Decisions = Mapping[int, tuple[str, int | None]]


def qa_dispute_deadline(*, review: QAReview) -> dt.datetime | None:
    """Return until when the agent may dispute a published review: the agent's team on the day
    it was published sets the number of days (`Team.dispute_window_days`)."""
    if review.published_at is None:
        return None
    team = _team_on(employee_id=review.interaction.employee_id, day=local_day(review.published_at))
    days = team.dispute_window_days if team is not None else DEFAULT_DISPUTE_WINDOW_DAYS
    return review.published_at + dt.timedelta(days=days)


def _rating_valid(rating) -> bool:
    return rating is None or (
        isinstance(rating, int) and not isinstance(rating, bool) and 0 <= rating <= 4
    )


@transaction.atomic
def qa_review_dispute(
    *,
    review: QAReview,
    agent: Employee,
    proposals: Proposals,
    reason: str = "",
    now: dt.datetime | None = None,
) -> QAReview:
    """Let the reviewed agent dispute a published review once, within the team's deadline:
    per criterion, a proposed rating and a reason."""
    review = _locked(review)
    now = now or timezone.now()
    if review.interaction.employee_id != agent.pk:
        raise ValidationError({"__all__": _("Only the reviewed agent can dispute a review.")})
    if review.disputed_at is not None:
        raise ValidationError({"__all__": _("This review has already been disputed once.")})
    if review.status != ReviewStatus.PUBLISHED:
        raise ValidationError({"__all__": _("Only a published review can be disputed.")})
    deadline = qa_dispute_deadline(review=review)
    if deadline is not None and now > deadline:
        raise ValidationError({"__all__": _("The time to dispute this review has passed.")})
    given = {rating.criterion_id: rating.rating for rating in review.ratings.all()}
    errors: dict[str, list[str]] = {}
    if not proposals:
        errors["__all__"] = [_("Pick at least one criterion you disagree with.")]
    for criterion_id, (proposed, item_reason) in proposals.items():
        if criterion_id not in given:
            errors.setdefault("__all__", []).append(
                _("A disputed criterion is not rated in this review.")
            )
        elif not _rating_valid(proposed):
            errors[f"proposed_{criterion_id}"] = [_("Propose 0 to 4, or N/A.")]
        elif proposed == given[criterion_id]:
            errors[f"proposed_{criterion_id}"] = [_("Propose a rating other than the given one.")]
        if not (item_reason or "").strip():
            errors[f"reason_{criterion_id}"] = [_("Say why you disagree with this rating.")]
    if errors:
        raise ValidationError(errors)
    # With history: each disputed criterion's trail starts with the agent's proposal.
    bulk_create_with_history(
        [
            QADisputeItem(
                review=review,
                criterion_id=criterion_id,
                original_rating=given[criterion_id],
                proposed_rating=proposed,
                reason=item_reason.strip(),
            )
            for criterion_id, (proposed, item_reason) in sorted(proposals.items())
        ],
        QADisputeItem,
    )
    review.status = ReviewStatus.DISPUTED
    review.dispute_reason = (reason or "").strip()
    review.disputed_at = now
    review.save(update_fields=["status", "dispute_reason", "disputed_at"])
    _event(review=review, actor=agent, action=ReviewAction.DISPUTED, note=review.dispute_reason)
    # A disputed review keeps counting at its published total (docs/SCORING.md): disputing a
    # low review must not take it out of the score, so no day is rescored here.
    _notify(review=review, action=ReviewAction.DISPUTED)
    return review


@transaction.atomic
def qa_review_mark_seen(
    *, review: QAReview, agent: Employee, now: dt.datetime | None = None
) -> QAReview:
    """Record that the reviewed agent has read a published review (the first time only)."""
    review = _locked(review)
    if review.interaction.employee_id != agent.pk:
        raise ValidationError({"__all__": _("Only the reviewed agent marks a review read.")})
    if review.status == ReviewStatus.DRAFT:
        raise ValidationError({"__all__": _("A draft is not shown to the agent yet.")})
    if review.seen_at is None:
        review.seen_at = now or timezone.now()
        review.save(update_fields=["seen_at"])
        _event(review=review, actor=agent, action=ReviewAction.SEEN)
    return review


def _decisions_errors(*, items: dict, decisions: Decisions) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for criterion_id in items:
        if criterion_id not in decisions:
            errors[f"outcome_{criterion_id}"] = [_("Decide this criterion.")]
            continue
        outcome, rating = decisions[criterion_id]
        if outcome not in DisputeOutcome.values:
            errors[f"outcome_{criterion_id}"] = [_("Uphold the rating or adjust it.")]
        elif outcome == DisputeOutcome.ADJUSTED and not _rating_valid(rating):
            errors[f"rating_{criterion_id}"] = [_("Give the adjusted rating: 0 to 4, or N/A.")]
        elif outcome == DisputeOutcome.ADJUSTED and rating == items[criterion_id].original_rating:
            errors[f"rating_{criterion_id}"] = [
                _("An adjusted rating differs from the disputed one; otherwise uphold it.")
            ]
    if set(decisions) - set(items):
        errors.setdefault("__all__", []).append(_("Only the disputed criteria are decided."))
    return errors


@transaction.atomic
def qa_review_resolve(
    *,
    review: QAReview,
    manager: Employee,
    decisions: Decisions,
    note: str,
    now: dt.datetime | None = None,
) -> QAReview:
    """Decide each disputed criterion (upheld, or adjusted to a rating), with a note.

    The decider is a manager other than the review's author. Adjusted ratings replace the
    published ones and the total follows; the day the review was first published is rescored.
    """
    review = _locked(review)
    note = (note or "").strip()
    if review.status != ReviewStatus.DISPUTED:
        raise ValidationError({"__all__": _("Only a disputed review can be resolved.")})
    if not manager.is_manager:
        raise ValidationError({"__all__": _("Only a manager can resolve a dispute.")})
    if manager.pk == review.reviewer_id:
        raise ValidationError(
            {"__all__": _("A dispute is resolved by someone other than the review's author.")}
        )
    items = {item.criterion_id: item for item in review.dispute_items.all()}
    errors = _decisions_errors(items=items, decisions=decisions)
    if not note:
        errors["note"] = [_("Explain the decision to the agent.")]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    old_pairs = qa_review_days(review)
    adjusted = {}
    for criterion_id, item in items.items():
        item.outcome, rating = decisions[criterion_id]
        item.resolved_rating = (
            rating if item.outcome == DisputeOutcome.ADJUSTED else item.original_rating
        )
        if item.outcome == DisputeOutcome.ADJUSTED:
            adjusted[criterion_id] = item.resolved_rating
    bulk_update_with_history(list(items.values()), QADisputeItem, ["outcome", "resolved_rating"])
    if adjusted:
        ratings = {
            rating.criterion_id: (adjusted.get(rating.criterion_id, rating.rating), rating.comment)
            for rating in review.ratings.all()
        }
        _ratings_store(review=review, ratings=ratings)
        # The adjusted total replaces the published one on the day it was first published.
    review.status = ReviewStatus.RESOLVED
    review.dispute_outcome = DisputeOutcome.ADJUSTED if adjusted else DisputeOutcome.UPHELD
    review.resolution_note = note
    review.resolved_at = now
    review.resolved_by = manager
    review.save(
        update_fields=[
            "status",
            "dispute_outcome",
            "resolution_note",
            "resolved_at",
            "resolved_by",
            "total",
        ]
    )
    _event(review=review, actor=manager, action=ReviewAction.RESOLVED, note=note)
    qa_review_days_changed(review=review, old_pairs=old_pairs)
    _notify(review=review, action=ReviewAction.RESOLVED)
    return review


def _notify(*, review: QAReview, action: str) -> None:
    # Imported here: the task module imports this one.
    from feedback.qa_tasks import qa_review_email_send

    enqueue_on_commit(qa_review_email_send, review.pk, action)


# ---- follow-ups ------------------------------------------------------------------------------


@transaction.atomic
def follow_up_mark_done(*, interaction: Interaction, now: dt.datetime | None = None):
    """Mark an interaction's follow-up done now (once); its due day is rescored."""
    stored = Interaction.objects.select_for_update().get(pk=interaction.pk)
    if stored.follow_up_due is None:
        raise ValidationError({"follow_up_done_at": _("This interaction has no follow-up.")})
    if stored.follow_up_done_at is not None:
        return stored
    return interaction_update(interaction=stored, follow_up_done_at=now or timezone.now())


# ---- notifications ---------------------------------------------------------------------------

EMAIL_SUBJECT_TEMPLATE = "feedback/email/qa_review_subject.txt"
EMAIL_BODY_TEMPLATE = "feedback/email/qa_review_body.txt"


def qa_review_recipients(*, review: QAReview, action: str) -> list[Employee]:
    """Return who hears of a change: the agent, or the managers of a dispute."""
    if action == ReviewAction.DISPUTED:
        day = local_day(review.disputed_at) or timezone.localdate()
        team_ids = (
            TeamMembership.objects.on_day(day)
            .filter(employee_id=review.interaction.employee_id)
            .values("team_id")
        )
        return list(
            Employee.objects.filter(managed_teams__in=team_ids, is_active=True)
            .select_related("user")
            .distinct()
            .order_by("pk")
        )
    return [Employee.objects.select_related("user").get(pk=review.interaction.employee_id)]


def _rating_text(rating: int | None) -> str:
    """A rating as the review page writes it: "3 — Good", or "N/A"."""
    if rating is None:
        return _("N/A")
    return f"{rating} — {Rating(rating).label}"


def _dispute_item_lines(*, item: QADisputeItem, language: str) -> dict[str, str]:
    """One decided criterion of a dispute for the e-mail, in the active language."""
    return {
        "label": item.criterion.localized("label", language),
        "disputed": _rating_text(item.original_rating),
        "proposed": _rating_text(item.proposed_rating),
        "decided": _rating_text(item.resolved_rating),
        "decision": item.get_outcome_display(),
    }


def qa_review_email_send(*, review_id: int, action: str) -> int:
    """E-mail the people concerned by a review's publication, dispute or resolution."""
    review = (
        QAReview.objects.select_related("interaction__employee__user", "reviewer__user")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        return 0
    items = []
    if action == ReviewAction.RESOLVED:
        items = list(review.dispute_items.select_related("criterion"))
    messages = []
    for person in qa_review_recipients(review=review, action=action):
        if not person.user.email:
            continue
        with translation.override(person.language):
            context = {
                "items": [
                    _dispute_item_lines(item=item, language=person.language) for item in items
                ],
                "action": action,
                "name": person.full_name,
                "agent_name": review.interaction.employee.full_name,
                "reviewer_name": review.reviewer.full_name,
                "subject": review.interaction.subject,
                "total": review.total,
                "outcome": review.get_dispute_outcome_display() if review.dispute_outcome else "",
                "note": review.resolution_note if action == ReviewAction.RESOLVED else "",
                "reason": review.dispute_reason if action == ReviewAction.DISPUTED else "",
                "url": settings.CRS_SITE_URL.rstrip("/")
                + reverse("qa:review_detail", args=[review.pk]),
            }
            subject = " ".join(render_to_string(EMAIL_SUBJECT_TEMPLATE, context).split())
            body = render_to_string(EMAIL_BODY_TEMPLATE, context)
        messages.append(EmailMessage(subject=subject, body=body, to=[person.user.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
