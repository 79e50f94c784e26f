from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardsConfig(AppConfig):
    name = "scorecards"
    verbose_name = _("Scorecards and scores")

    def ready(self):
        # Celery's autodiscovery imports only `tasks`; the reminder task lives in its own module.
        from scorecards import onboarding_tasks  # noqa: F401
