"""Writes of the weekly sampling's settings: a team's rules and reviewers' weekly quotas.

The sampling itself is `qa_services.qa_sample_week`; who may change what is checked here, so the
page, the admin and any later API refuse the same things.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from feedback.choices import SAMPLING_ORDER, SamplingRuleKind
from feedback.models import ReviewerQuota, SamplingRule
from feedback.sampling_selectors import quota_reviewers_editable
from staff.choices import Role
from staff.models import Employee, Team

MAX_PER_AGENT = 50
MAX_NEW_HIRE_WEEKS = 52
MAX_QUOTA = 200


@dataclass(frozen=True)
class RuleSetting:
    is_enabled: bool
    per_agent: int | None = None
    new_hire_weeks: int | None = None


def _may_manage(*, actor: Employee, team: Team) -> bool:
    if not actor.is_active:
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.MANAGER and team.managers.filter(pk=actor.pk).exists()


def _field(kind: str, name: str) -> str:
    """Return the form field a rule's setting is entered in (`sampling_rules_set`'s errors)."""
    return f"{kind}_{name}"


def _setting_errors(settings: Mapping[str, RuleSetting]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for kind in (SamplingRuleKind.RANDOM, SamplingRuleKind.NEW_HIRE):
        setting = settings[kind]
        if not setting.is_enabled:
            continue
        if setting.per_agent is None or not 1 <= setting.per_agent <= MAX_PER_AGENT:
            errors[_field(kind, "per_agent")] = [
                _("Give a number of interactions from 1 to %(max)s.") % {"max": MAX_PER_AGENT}
            ]
    new_hire = settings[SamplingRuleKind.NEW_HIRE]
    if new_hire.is_enabled:
        weeks = new_hire.new_hire_weeks
        if weeks is None or not 1 <= weeks <= MAX_NEW_HIRE_WEEKS:
            errors[_field(SamplingRuleKind.NEW_HIRE, "new_hire_weeks")] = [
                _("Give a number of weeks from 1 to %(max)s.") % {"max": MAX_NEW_HIRE_WEEKS}
            ]
        random = settings[SamplingRuleKind.RANDOM]
        field = _field(SamplingRuleKind.NEW_HIRE, "per_agent")
        if (
            field not in errors
            and random.is_enabled
            and random.per_agent is not None
            and new_hire.per_agent is not None
            and new_hire.per_agent <= random.per_agent
        ):
            errors[field] = [
                _(
                    "A new hire's sample replaces the weekly one, so it should be larger than "
                    "%(size)s."
                )
                % {"size": random.per_agent}
            ]
    return errors


@transaction.atomic
def sampling_rules_set(
    *, team: Team, actor: Employee, settings: Mapping[str, RuleSetting]
) -> list[SamplingRule]:
    """Save every sampling rule of a team at once (one per kind), after checking them together.

    A rule switched off keeps its last numbers, so switching it back on restores them.
    """
    if not _may_manage(actor=actor, team=team):
        raise ValidationError(
            {"__all__": _("Only the team's managers and administrators set its sampling.")}
        )
    missing = [kind for kind in SAMPLING_ORDER if kind not in settings]
    if missing:
        raise ValidationError({"__all__": _("Every sampling rule needs a setting.")})
    errors = _setting_errors(settings)
    if errors:
        raise ValidationError(errors)
    stored = {rule.kind: rule for rule in SamplingRule.objects.filter(team=team)}
    saved = []
    for kind in SAMPLING_ORDER:
        setting = settings[kind]
        rule = stored.get(kind) or SamplingRule(team=team, kind=kind)
        rule.is_enabled = setting.is_enabled
        if setting.per_agent is not None and 1 <= setting.per_agent <= MAX_PER_AGENT:
            rule.per_agent = setting.per_agent
        if setting.new_hire_weeks is not None and 1 <= setting.new_hire_weeks <= MAX_NEW_HIRE_WEEKS:
            rule.new_hire_weeks = setting.new_hire_weeks
        rule.save()
        saved.append(rule)
    return saved


@transaction.atomic
def reviewer_quotas_set(*, actor: Employee, quotas: Mapping[int, int | None]) -> int:
    """Set reviewers' weekly quotas (None removes one); return how many changed.

    The actor sets those of `quota_reviewers_editable`: a quota for anyone else refuses the whole
    change, nothing is written.
    """
    allowed = set(quota_reviewers_editable(user=actor.user).values_list("pk", flat=True))
    errors: dict[str, list[str]] = {}
    for reviewer_id, value in quotas.items():
        if reviewer_id not in allowed:
            errors.setdefault("__all__", []).append(
                _("You can only set the quotas of your teams' reviewers.")
            )
        elif value is not None and not 1 <= value <= MAX_QUOTA:
            errors[f"quota_{reviewer_id}"] = [
                _("Give a number of reviews from 1 to %(max)s, or leave it empty.")
                % {"max": MAX_QUOTA}
            ]
    if not actor.is_active or actor.role not in (Role.MANAGER, Role.ADMIN):
        errors["__all__"] = [_("Only managers and administrators set review quotas.")]
    if errors:
        raise ValidationError(errors)
    stored = {
        quota.reviewer_id: quota
        for quota in ReviewerQuota.objects.select_for_update().filter(reviewer__in=list(quotas))
    }
    changed = 0
    for reviewer_id, value in sorted(quotas.items()):
        quota = stored.get(reviewer_id)
        if value is None:
            if quota is not None:
                quota.delete()
                changed += 1
        elif quota is None:
            ReviewerQuota.objects.create(reviewer_id=reviewer_id, reviews_per_week=value)
            changed += 1
        elif quota.reviews_per_week != value:
            quota.reviews_per_week = value
            quota.save(update_fields=["reviews_per_week", "updated_at"])
            changed += 1
    return changed
