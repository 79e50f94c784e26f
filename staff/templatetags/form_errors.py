"""The error summary of a long form: every error listed, each linked to its field.

    {% load form_errors %}
    {% form_error_summary version_form metric_formset title=_("The draft was not saved.") %}

Takes any number of forms and formsets (unbound ones and ones without errors add nothing) and
renders templates/_form_errors.html: a banner that takes the focus when the page loads
(static/js/crs.js), so keyboard and screen-reader users land on it, with one link per error to
the field (`#id_…`); the link moves the focus there, opening a closed <details> around it.
"""

from dataclasses import dataclass

from django import forms, template
from django.utils.translation import gettext

register = template.Library()


@dataclass(frozen=True)
class ErrorEntry:
    message: str
    label: str = ""
    row: str = ""
    href: str = ""


def _row_name(form: forms.BaseForm, index: int) -> str:
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk:
        return str(instance)
    return gettext("Row %(number)s") % {"number": index + 1}


def _field_anchor(bound: forms.BoundField) -> str:
    """Return the link to the field's control, '' for a hidden field (nowhere to go)."""
    if bound.is_hidden:
        return ""
    # A group of radios or checkboxes names no single control: its first option takes the focus.
    target = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
    return f"#{target}" if target else ""


def _form_entries(form: forms.BaseForm, *, row: str = "") -> list[ErrorEntry]:
    entries = [ErrorEntry(message=str(error), row=row) for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name not in form.fields:
            continue
        bound = form[name]
        entries.append(
            ErrorEntry(
                message=" ".join(str(error) for error in errors),
                label=str(bound.label or name),
                row=row,
                href=_field_anchor(bound),
            )
        )
    return entries


def form_errors(*forms_or_formsets) -> list[ErrorEntry]:
    """Return every error of the forms and formsets, in the order they appear on the page."""
    entries: list[ErrorEntry] = []
    for item in forms_or_formsets:
        if item is None or not getattr(item, "is_bound", False):
            continue
        if isinstance(item, forms.BaseFormSet):
            entries += [ErrorEntry(message=str(error)) for error in item.non_form_errors()]
            for index, form in enumerate(item.forms):
                if form.errors:
                    entries += _form_entries(form, row=_row_name(form, index))
        else:
            entries += _form_entries(item)
    return entries


@register.inclusion_tag("_form_errors.html")
def form_error_summary(*forms_or_formsets, title: str = "", anchor: str = "form-errors"):
    return {"errors": form_errors(*forms_or_formsets), "title": title, "anchor": anchor}
