"""Survey forms: the customer's answer, and the staff filter over survey comments.

QA review forms live in feedback/qa_forms.py.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from staff.bounds import DayField

# The faces a customer picks from, worst to best: the mouth of each drawn face (an SVG path in
# a 24×24 box, so no emoji font is needed), and the words a screen reader says.
CSAT_FACES = [
    (1, "M6.5 6.8 L10 8.2 M17.5 6.8 L14 8.2 M7.5 17.5 Q12 11.5 16.5 17.5", _("Very dissatisfied")),
    (2, "M8 16.5 Q12 13.5 16 16.5", _("Dissatisfied")),
    (3, "M8 15.5 L16 15.5", _("Neither satisfied nor dissatisfied")),
    (4, "M8 14.5 Q12 17.5 16 14.5", _("Satisfied")),
    (5, "M7 13.5 Q12 20.5 17 13.5 Z", _("Very satisfied")),
]
COMMENT_MAX_LENGTH = 2000


class SurveyForm(forms.Form):
    """A customer's answer: satisfaction (required), likelihood to recommend, a comment."""

    csat = forms.TypedChoiceField(
        label=_("How satisfied are you with the help you received?"),
        choices=[(value, label) for value, _face, label in CSAT_FACES],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a face from 1 to 5."),
            "invalid_choice": _("Choose a face from 1 to 5."),
        },
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend or colleague?"),
        choices=[(value, str(value)) for value in range(11)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a number from 0 to 10.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def faces(self) -> list[dict]:
        """Return the CSAT choices with their faces, for the template to draw as buttons."""
        chosen = str(self["csat"].value() or "")
        return [
            {"value": value, "mouth": mouth, "label": label, "checked": str(value) == chosen}
            for value, mouth, label in CSAT_FACES
        ]

    def nps_choices(self) -> list[dict]:
        chosen = self["nps"].value()
        chosen = "" if chosen is None else str(chosen)
        return [{"value": value, "checked": str(value) == chosen} for value in range(11)]


CSAT_FILTER_CHOICES = [("", _("Any rating"))] + [
    (str(value), f"{value} — {label}") for value, _face, label in CSAT_FACES
]
SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("lowest", _("Lowest rating first")),
    ("highest", _("Highest rating first")),
]


class SurveyCommentFilterForm(forms.Form):
    """Narrow the survey comments by person, rating, period and words."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Comment, subject or customer")}),
    )
    employee = forms.ModelChoiceField(
        label=_("Employee"), queryset=None, required=False, empty_label=_("Everyone")
    )
    csat = forms.TypedChoiceField(
        label=_("Satisfaction"),
        choices=CSAT_FILTER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    date_from = DayField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DayField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    with_comment = forms.BooleanField(label=_("Only with a comment"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned

    def filters(self) -> dict:
        """Return the selector's keyword arguments for the valid fields; bad ones are ignored."""
        self.is_valid()
        cleaned = {
            name: value for name, value in self.cleaned_data.items() if name not in self.errors
        }
        employee = cleaned.get("employee")
        return {
            "search": (cleaned.get("q") or "").strip(),
            "employee_id": employee.pk if employee else None,
            "csat": cleaned.get("csat"),
            "date_from": cleaned.get("date_from"),
            "date_to": cleaned.get("date_to"),
            "with_comment": bool(cleaned.get("with_comment")),
            "sort": cleaned.get("sort") or "newest",
        }
