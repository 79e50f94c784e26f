"""Read computed figures from a PostgreSQL replica, when one is configured (DATABASE_REPLICA_URL).

Only GET and HEAD requests read from the replica, and only the models that dashboards and the
score API read and that no request writes: the daily score rows (computed by Celery) and the
scorecards they refer to. Everything else — writes, the dirty list, Celery tasks, a page that reads
what it has just written — stays on the primary, so replica lag can only make "scores as of" a
little older, never lose or contradict a write.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
REPLICA_MODELS = frozenset(
    {
        "scorecards.employeedailyscore",
        "scorecards.teamdailyscore",
        "scorecards.scorefillstate",
        "scorecards.scorecard",
        "scorecards.scorecardversion",
        "scorecards.metric",
        "scorecards.qacriterion",
    }
)

_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)


class ReplicaRouter:
    """Send reads of REPLICA_MODELS to the replica inside a read-only request; else the primary.

    Installed always; without a `replica` alias in DATABASES it never routes anywhere.
    """

    def db_for_read(self, model, **hints):
        if (
            _reads_from_replica.get()
            and model._meta.label_lower in REPLICA_MODELS
            and REPLICA in settings.DATABASES
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        # Also for a row read from the replica and saved again: writes go to the primary.
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's migrations through replication.
        return False if db == REPLICA else None


class ReplicaReadsMiddleware:
    """Let the router use the replica while a GET or HEAD request is being answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reads_from_replica.set(request.method in ("GET", "HEAD"))
        try:
            return self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
