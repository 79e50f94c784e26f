from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from imports.choices import ImportKind, ImportStatus


def import_storage():
    """Where uploads wait for the worker: a storage of its own, on a disk the workers share."""
    return storages["imports"]


class ColumnMapping(models.Model):
    """The columns last picked for a source's files of one kind, offered again next time."""

    source = models.CharField(_("source"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    # {target field: the file's column header}
    columns = models.JSONField(_("columns"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind"], name="uniq_column_mapping_source"),
        ]

    def __str__(self):
        return f"{self.source} ({self.get_kind_display()})"


class ImportJob(models.Model):
    """One uploaded file on its way in: columns, check, import; progress kept here for the page."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    source = models.CharField(_("source"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=import_storage)
    file_name = models.CharField(_("file name"), max_length=255)
    headers = models.JSONField(_("columns in the file"), default=list)
    columns = models.JSONField(_("columns picked"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        "staff.Employee",
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    checked_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    written_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    bad_rows = models.PositiveIntegerField(_("bad rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    # The first rows as read through the mapping, for the preview.
    preview = models.JSONField(_("preview"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"


class ImportRowError(models.Model):
    """One reason a row of the file cannot be imported."""

    job = models.ForeignKey(
        ImportJob, verbose_name=_("import"), on_delete=models.CASCADE, related_name="row_errors"
    )
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=255, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("bad row")
        verbose_name_plural = _("bad rows")
        ordering = ["job", "row", "pk"]
        indexes = [models.Index(fields=["job", "row"], name="import_row_error_job_row_idx")]

    def __str__(self):
        return f"{self.row}: {self.message}"
