from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    INTERACTIONS = "interactions", _("Interactions")
    SURVEY_ANSWERS = "survey_answers", _("Survey answers")


class ImportStatus(models.TextChoices):
    # uploaded -> (columns picked) checking -> checked | invalid -> importing -> done | failed
    UPLOADED = "uploaded", _("Columns to pick")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Ready to import")
    INVALID = "invalid", _("Has bad rows")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
