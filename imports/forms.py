from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.choices import ImportKind
from imports.fields import targets_for
from imports.readers import CSV_SUFFIXES, EXCEL_SUFFIXES


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        max_length=40,
        help_text=gettext_lazy(
            "A short name for where the file comes from, such as “helpdesk”. Rows are matched "
            "to earlier imports by this source and their id; its columns are remembered."
        ),
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9_.-]*$",
                gettext_lazy("Use lower-case letters, digits, dots, dashes and underscores."),
            )
        ],
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "CSV (UTF-8, comma or semicolon) or Excel (.xlsx); first row: names."
        ),
    )

    def clean_source(self):
        return self.cleaned_data["source"].strip().lower()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(CSV_SUFFIXES + EXCEL_SUFFIXES):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > settings.IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s; split it.")
                % {"size": filesizeformat(settings.IMPORT_MAX_FILE_BYTES)}
            )
        return upload


class ImportColumnsForm(forms.Form):
    """One choice per field of the import: which column of the file fills it."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —")), *((h, h) for h in job.headers)]
        for target in targets_for(job.kind):
            self.fields[target.name] = forms.ChoiceField(
                label=target.label,
                choices=choices,
                required=target.required,
                help_text=target.help,
                initial=job.columns.get(target.name, ""),
            )

    def columns(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}
