from collections.abc import Iterable

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Interaction
from feedback.calibration_services import MIN_REVIEWERS, References
from feedback.qa_forms import NOT_APPLICABLE, RATING_CHOICES

DEADLINE_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


class ServiceErrorsMixin:
    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)  # type: ignore[attr-defined]


class CalibrationSessionForm(ServiceErrorsMixin, forms.Form):
    """A session: its title, deadline, the interactions to rate and who rates them."""

    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        input_formats=DEADLINE_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DEADLINE_FORMATS[0]),
        help_text=_("Ratings are revealed at this time, or earlier once everyone has rated."),
    )
    interactions = forms.ModelMultipleChoiceField(
        label=_("Interactions"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Interactions of your people resolved in the last 90 days, the latest first or those "
            "found above; pick one or more."
        ),
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each reviewer rates every interaction on their own; choose two or more."),
    )

    def __init__(self, *args, interactions, reviewers, shown: Iterable[Interaction], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["interactions"]
        field.queryset = interactions
        # Only the few candidates found (and those already picked) are offered, never all of
        # them: a team resolves thousands in 90 days. Validation still takes any candidate.
        picked = [str(pk) for pk in (self["interactions"].value() or [])]
        offered = {interaction.pk: interaction for interaction in shown}
        for interaction in interactions.filter(pk__in=[pk for pk in picked if pk.isdigit()]):
            offered.setdefault(interaction.pk, interaction)
        field.widget.choices = [
            (pk, self.interaction_label(interaction)) for pk, interaction in offered.items()
        ]
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda employee: employee.full_name

    @staticmethod
    def interaction_label(interaction: Interaction) -> str:
        day = timezone.localtime(interaction.resolved_at or interaction.opened_at)
        return (
            f"#{interaction.pk} {interaction.subject} — {interaction.employee.full_name} "
            f"({day:%Y-%m-%d})"
        )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("Set a deadline in the future."))
        return deadline

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) < MIN_REVIEWERS:
            raise forms.ValidationError(_("Choose at least two reviewers to compare."))
        return reviewers


class CalibrationReferenceForm(ServiceErrorsMixin, forms.Form):
    """The agreed rating (0–4 or N/A) and a note per criterion of one interaction."""

    def __init__(self, *args, spread, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        self.spread = spread
        for row in spread.rows:
            if row.reference is not None:
                value = (
                    NOT_APPLICABLE if row.reference.rating is None else str(row.reference.rating)
                )
                initial.setdefault(self.rating_name(row.criterion_id), value)
                initial.setdefault(self.note_name(row.criterion_id), row.reference.note)
        kwargs.setdefault("prefix", f"i{spread.interaction.pk}")
        super().__init__(*args, initial=initial, **kwargs)
        for row in spread.rows:
            self.fields[self.rating_name(row.criterion_id)] = forms.ChoiceField(
                label=_("Reference for “%(label)s”") % {"label": row.label},
                choices=[("", _("Not set")), *RATING_CHOICES],
                required=False,
            )
            self.fields[self.note_name(row.criterion_id)] = forms.CharField(
                label=_("Note on “%(label)s”") % {"label": row.label},
                required=False,
                max_length=2000,
            )

    @staticmethod
    def rating_name(criterion_id: int) -> str:
        return f"reference_{criterion_id}"

    @staticmethod
    def note_name(criterion_id: int) -> str:
        return f"note_{criterion_id}"

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(self.rating_name(row.criterion_id)) for row in self.spread.rows):
            raise forms.ValidationError(_("Set the reference rating of at least one criterion."))
        return cleaned

    def references(self) -> References:
        """Return the references set, as the service takes them."""
        references = {}
        for row in self.spread.rows:
            value = self.cleaned_data.get(self.rating_name(row.criterion_id))
            if value:
                rating = None if value == NOT_APPLICABLE else int(value)
                references[row.criterion_id] = (
                    rating,
                    self.cleaned_data.get(self.note_name(row.criterion_id), ""),
                )
        return references

    def rows(self) -> list[dict]:
        """Return per criterion its two bound fields, for the template."""
        return [
            {
                "row": row,
                "rating": self[self.rating_name(row.criterion_id)],
                "note": self[self.note_name(row.criterion_id)],
            }
            for row in self.spread.rows
        ]

    def groups(self) -> list[tuple]:
        """Return the rows under their QA sections, as the spread groups them (`groups`)."""
        fields = {item["row"].criterion_id: item for item in self.rows()}
        return [
            (group, [fields[row.criterion_id] for row in group.rows])
            for group in self.spread.groups
        ]
