from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager")
    ONBOARDING = "onboarding", _("Onboarding")
    ADMIN = "admin", _("Administrator")


class Language(models.TextChoices):
    EN = "en", "English"
    RU = "ru", "Русский"
    LV = "lv", "Latviešu"
    LT = "lt", "Lietuvių"


class ApiScope(models.TextChoices):
    SCORES_READ = "scores:read", _("Read scores")
    INTERACTIONS_WRITE = "interactions:write", _("Push and read interactions")
    FEEDBACK_WRITE = "feedback:write", _("Push survey responses")
    CUSTOMERS_READ = "customers:read", _("Read customers")
    CUSTOMERS_WRITE = "customers:write", _("Create customers")
    QA_READ = "qa:read", _("Read QA reviews and their disputes")
    COACHING_READ = "coaching:read", _("Read coaching sessions")
    FEEDBACK_READ = "feedback:read", _("Read survey responses")
