"""GET /health/: database, cache, broker and the age of the last score run (django-health-check).

Only the database is critical: without it nothing works, and the endpoint answers 503 "down".
Redis (cache and broker) and the score runs may fail while the site keeps working on the last
computed figures (the dirty list is in the database), so their failure answers 200 "degraded":
a load balancer keeps the instance, monitoring still sees what is wrong.
"""

import asyncio
import dataclasses
import datetime as dt

from django import db
from django.conf import settings
from django.db.models import Max
from django.http import JsonResponse
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView
from kombu import Connection

from crs_site.celery import app
from scorecards.models import ScoreFillState


@dataclasses.dataclass
class Broker(HealthCheck):
    """Connect to the Celery broker (Redis, or the filesystem transport locally)."""

    timeout = dt.timedelta(seconds=3)

    def run(self):
        try:
            with Connection(
                app.conf.broker_url,
                transport_options=app.conf.broker_transport_options,
                connect_timeout=2,
            ) as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        except Exception as exc:  # kombu raises transport-specific errors
            raise ServiceUnavailable("Broker unreachable") from exc


@dataclasses.dataclass
class ScoreRunAge(HealthCheck):
    """Warn when no score run has completed within the allowed age (beat runs every 15 min)."""

    max_age: dt.timedelta = dataclasses.field(
        default_factory=lambda: dt.timedelta(minutes=settings.CRS_HEALTH_MAX_SCORE_AGE_MINUTES)
    )

    def run(self):
        connection = db.connections["default"]
        try:
            # Closed again afterwards: this runs in a worker thread outside any request.
            with connection.temporary_connection():
                last = ScoreFillState.objects.aggregate(last=Max("computed_at"))["last"]
        except db.Error as exc:
            raise ServiceUnavailable("Fill state unreadable") from exc
        if last is None:
            raise ServiceWarning("No score run has completed yet")
        age = timezone.now() - last
        if age > self.max_age:
            raise ServiceWarning(
                f"Last score run completed {int(age.total_seconds() // 60)} min ago"
            )


CRITICAL = (Database,)


def _detail(error: Exception | None, *, show_error: bool) -> str:
    """A check's detail: "OK", the error's text for staff, else only "down".

    Warnings are this module's own sentences (the age of the last score run) and are shown to all.
    """
    if error is None:
        return "OK"
    return str(error) if show_error or isinstance(error, ServiceWarning) else "down"


class HealthView(HealthCheckView):
    """Answer JSON: ok (200), degraded (200: only non-critical checks fail) or down (503)."""

    checks = (Database, Cache, Broker, ScoreRunAge)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        failed = [result for result in self.results if result.error]
        if any(isinstance(result.check, CRITICAL) for result in failed):
            status, code = "down", 503
        elif failed:
            status, code = "degraded", 200
        else:
            status, code = "ok", 200
        # An error's text can name the database host and port: only staff read it.
        user = await request.auser()
        return JsonResponse(
            {
                "status": status,
                "checks": {
                    type(result.check).__name__: {
                        "ok": result.error is None,
                        "detail": _detail(result.error, show_error=user.is_staff),
                        "seconds": round(result.time_taken, 3),
                    }
                    for result in self.results
                },
            },
            status=code,
        )
