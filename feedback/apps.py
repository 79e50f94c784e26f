from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Surveys and QA reviews")

    def ready(self):
        from customers.services import interactions_resolved_subscribe
        from feedback import qa_tasks  # noqa: F401 - Celery's autodiscovery imports only `tasks`
        from feedback.services import survey_invitations_create

        # A resolved interaction invites its customer to a survey: customers.services calls
        # this in the writing transaction, without importing feedback.
        interactions_resolved_subscribe(survey_invitations_create)
