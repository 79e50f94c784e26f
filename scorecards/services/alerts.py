"""What a manager does with an alert."""

import datetime as dt

from django.utils import timezone

from crs_site.lib.users import SiteUser
from scorecards.models import Alert


def alert_acknowledge(*, alert: Alert, user: SiteUser, now: dt.datetime | None = None) -> Alert:
    """Record who acknowledged the alert and when; a second acknowledgement changes nothing."""
    Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now or timezone.now(), acknowledged_by=user
    )
    alert.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return alert
