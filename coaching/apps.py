from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self):
        from coaching import demo, hooks
        from scorecards.demo import demo_step_register

        # The agent's trend, the follow-up lists and the demo data belong to lower apps: they
        # ask this app for its markers, actions and demo sessions through these registrations.
        hooks.register()
        demo_step_register(demo.demo_coaching_create)
