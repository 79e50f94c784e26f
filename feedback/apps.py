from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Surveys and QA reviews")

    def ready(self):
        # Celery's autodiscovery imports only `tasks`; the QA tasks live in their own module.
        from feedback import qa_tasks  # noqa: F401
