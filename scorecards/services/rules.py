"""Acknowledging the rules of a scorecard version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scorecards.models import RuleAcknowledgement, ScorecardVersion
from staff.models import Employee


@transaction.atomic
def rule_acknowledge(*, employee: Employee, version: ScorecardVersion) -> RuleAcknowledgement:
    """Record that the employee has read a published version; a repeat keeps the first date."""
    if not version.is_published:
        raise ValidationError(
            _("Only published rules can be acknowledged."), code="version_not_published"
        )
    acknowledgement, _created = RuleAcknowledgement.objects.get_or_create(
        employee=employee, version=version
    )
    return acknowledgement
