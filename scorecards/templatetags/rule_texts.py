"""The note that a translated rule text may be out of date, wherever rule texts are shown.

The one place for its wording and markup (`scorecards/_translation_outdated.html`); whether a
text is stale is `scorecards.translations.translation_is_stale`, through the rows'
`translation_outdated`.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.inclusion_tag("scorecards/_translation_outdated.html")
def translation_outdated_note(row, fields: str = "", language: str = "") -> dict:
    """Show the note when the row's translation into the language (the active one by default)
    is stale.

    `row` is a version, metric, QA section or QA criterion (its texts named by `fields`, space
    separated, all its rule texts by default), or a yes/no a selector already worked out.
    """
    if row is None or row == "":
        return {"outdated": False}
    if isinstance(row, bool):
        return {"outdated": row}
    names = tuple(fields.split()) or None
    return {"outdated": row.translation_outdated(names, language or get_language())}
