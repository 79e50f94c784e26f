from collections.abc import Iterable

from django import forms
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from customers.models import Interaction
from feedback.choices import DisputeOutcome, Rating, SamplingRuleKind
from feedback.models import QAReview, SamplingRule
from feedback.qa_services import Ratings
from feedback.sampling_services import (
    MAX_NEW_HIRE_WEEKS,
    MAX_PER_AGENT,
    MAX_QUOTA,
    RuleSetting,
)
from staff.models import Employee

NOT_APPLICABLE = "na"
RATING_CHOICES = [
    (NOT_APPLICABLE, _("N/A")),
    # Lazy, so each request shows the rating names in its reader's language.
    *[(str(value), format_lazy("{} — {}", value, label)) for value, label in Rating.choices],
]


class QAReviewForm(forms.Form):
    """One rating (0–4 or N/A) and one comment per criterion of the review's version.

    A criterion left blank is not rated yet: a draft may have some, publishing needs none.
    """

    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, review: QAReview, language: str, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        self.criteria = list(review.version.qa_criteria.select_related("section"))
        given = {rating.criterion_id: rating for rating in review.ratings.all()}
        initial.setdefault("comment", review.comment)
        for criterion in self.criteria:
            rating = given.get(criterion.pk)
            if rating is not None:
                value = NOT_APPLICABLE if rating.rating is None else str(rating.rating)
                initial.setdefault(self.rating_name(criterion.pk), value)
                initial.setdefault(self.comment_name(criterion.pk), rating.comment)
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in self.criteria:
            label = criterion.localized("label", language)
            self.fields[self.rating_name(criterion.pk)] = forms.ChoiceField(
                label=label,
                choices=RATING_CHOICES,
                required=False,
                widget=forms.RadioSelect(
                    attrs={"data-qa-criterion": criterion.pk, "class": "form-check-input qa-rating"}
                ),
            )
            self.fields[self.comment_name(criterion.pk)] = forms.CharField(
                label=_("Comment on “%(label)s”") % {"label": label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def rating_name(criterion_id: int) -> str:
        return f"rating_{criterion_id}"

    @staticmethod
    def comment_name(criterion_id: int) -> str:
        return f"comment_{criterion_id}"

    def rows(self, language: str) -> list[dict]:
        """Return, per criterion, its rule text and its two bound fields, for the template."""
        return [
            {
                "criterion": criterion,
                "label": criterion.localized("label", language),
                "description": criterion.localized("description", language),
                "examples": criterion.localized("examples", language),
                "rating": self[self.rating_name(criterion.pk)],
                "comment": self[self.comment_name(criterion.pk)],
            }
            for criterion in self.criteria
        ]

    def ratings(self) -> Ratings:
        """Return the cleaned ratings as the services take them; blank criteria are left out."""
        ratings = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(self.rating_name(criterion.pk))
            if not value:
                continue
            rating = None if value == NOT_APPLICABLE else int(value)
            ratings[criterion.pk] = (rating, self.cleaned_data.get(self.comment_name(criterion.pk)))
        return ratings

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


def _rating_value(value: str) -> int | None:
    return None if value == NOT_APPLICABLE else int(value)


def _rating_label(rating: int | None) -> str:
    return str(dict(RATING_CHOICES)[NOT_APPLICABLE if rating is None else str(rating)])


class QADisputeForm(forms.Form):
    """Per criterion of the review: dispute it or not; if so, the rating proposed and why."""

    reason = forms.CharField(
        label=_("Anything else to say (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("You can dispute a review once. A reviewer other than its author decides."),
    )

    def __init__(self, *args, review: QAReview, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        # The rated criteria, one per row (grouped under their sections by the page).
        self.criteria = []
        for rating in review.ratings.select_related("criterion__section").order_by(
            "criterion__position", "criterion__pk"
        ):
            criterion = rating.criterion
            self.criteria.append(criterion)
            label = criterion.localized("label", language)
            pick = f"dispute_{criterion.pk}"
            self.fields[pick] = forms.BooleanField(
                label=_("Dispute “%(label)s” (rated %(rating)s)")
                % {"label": label, "rating": _rating_label(rating.rating)},
                required=False,
            )
            self.fields[f"proposed_{criterion.pk}"] = forms.ChoiceField(
                label=_("Rating you propose"),
                choices=[("", "—"), *RATING_CHOICES],
                required=False,
            )
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Why"), max_length=2000, required=False
            )
            self.rows.append(
                (self[pick], self[f"proposed_{criterion.pk}"], self[f"reason_{criterion.pk}"])
            )
        self._criterion_ids = [int(row[0].name.split("_")[1]) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        for pk in self._criterion_ids:
            if cleaned.get(f"dispute_{pk}") and not cleaned.get(f"proposed_{pk}"):
                self.add_error(f"proposed_{pk}", _("Propose a rating for this criterion."))
        return cleaned

    def proposals(self) -> dict[int, tuple[int | None, str]]:
        """Return the picked criteria as the service takes them."""
        return {
            pk: (
                _rating_value(self.cleaned_data[f"proposed_{pk}"]),
                self.cleaned_data.get(f"reason_{pk}", ""),
            )
            for pk in self._criterion_ids
            if self.cleaned_data.get(f"dispute_{pk}") and self.cleaned_data.get(f"proposed_{pk}")
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class QAResolveForm(forms.Form):
    """Per disputed criterion: uphold the rating or adjust it; one note to the agent."""

    note = forms.CharField(
        label=_("Note to the agent"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, review: QAReview, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(review.dispute_items.select_related("criterion__section"))
        # The disputed criteria, one per row (grouped under their sections by the page).
        self.criteria = [item.criterion for item in self.items]
        self.rows = []
        for item in self.items:
            pk = item.criterion_id
            self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                label=item.criterion.localized("label", language),
                choices=DisputeOutcome.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"rating_{pk}"] = forms.ChoiceField(
                label=_("Adjusted rating"),
                choices=[("", "—"), *RATING_CHOICES],
                required=False,
                help_text=_("Only when you adjust the rating."),
            )
            self.rows.append(
                {
                    "item": item,
                    "original": _rating_label(item.original_rating),
                    "proposed": _rating_label(item.proposed_rating),
                    "outcome": self[f"outcome_{pk}"],
                    "rating": self[f"rating_{pk}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            pk = item.criterion_id
            if cleaned.get(f"outcome_{pk}") == DisputeOutcome.ADJUSTED and not cleaned.get(
                f"rating_{pk}"
            ):
                self.add_error(f"rating_{pk}", _("Give the adjusted rating."))
        return cleaned

    def decisions(self) -> dict[int, tuple[str, int | None]]:
        """Return the decisions as the service takes them."""
        decisions = {}
        for item in self.items:
            pk = item.criterion_id
            outcome = self.cleaned_data[f"outcome_{pk}"]
            value = self.cleaned_data.get(f"rating_{pk}")
            decisions[pk] = (outcome, _rating_value(value) if value else None)
        return decisions

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class CalibrationAssignForm(forms.Form):
    """Pick one interaction (searched as you type, or with the Find button) and its reviewers.

    Only the search's few matches are rendered, never the whole list of candidates, so the page
    stays the same size however many interactions there are.
    """

    interaction_query = forms.CharField(
        label=_("Find an interaction"),
        required=False,
        max_length=100,
        help_text=_("Subject, agent, customer or interaction number."),
    )
    interaction = forms.ModelChoiceField(
        label=_("Interaction"),
        queryset=None,
        help_text=_("Interactions of your people resolved in the last 90 days."),
    )
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Reviewers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each reviewer rates the interaction on their own; choose two or more."),
    )

    def __init__(
        self, *args, interactions, reviewers, matches: Iterable[Interaction] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["interaction"].queryset = interactions
        self.fields["interaction_query"].widget.attrs.update(
            {
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "hx-get": reverse_lazy("qa:calibration_search"),
                "hx-trigger": "input changed delay:200ms, search",
                "hx-target": "#interaction-field",
                "hx-swap": "innerHTML",
                "aria-controls": "interaction-field",
            }
        )
        self.fields["reviewers"].queryset = reviewers
        self.fields["reviewers"].label_from_instance = lambda employee: employee.full_name
        self.searched = False
        choices = list(matches)
        picked = self._picked_interaction()
        if picked is not None and picked.pk not in {choice.pk for choice in choices}:
            choices.insert(0, picked)
        self.interaction_choices = choices

    @property
    def picked_interaction_id(self) -> str:
        return str(self["interaction"].value() or "")

    def _picked_interaction(self) -> Interaction | None:
        """Return the candidate already picked, so a new search keeps it on the page."""
        try:
            pk = int(self.picked_interaction_id)
        except ValueError:
            return None
        return (
            self.fields["interaction"]
            .queryset.select_related("employee__user", "customer")
            .filter(pk=pk)
            .first()
        )

    def clean_reviewers(self):
        reviewers = self.cleaned_data["reviewers"]
        if len(reviewers) < 2:
            raise forms.ValidationError(_("Choose at least two reviewers to compare."))
        interaction = self.cleaned_data.get("interaction")
        if interaction is not None and any(r.pk == interaction.employee_id for r in reviewers):
            raise forms.ValidationError(_("Nobody reviews their own interactions."))
        return reviewers


SAMPLING_RULE_LABELS = {
    SamplingRuleKind.LOW_CSAT: _("Every interaction with CSAT ≤ 2"),
    SamplingRuleKind.ESCALATED: _("Every escalated interaction"),
    SamplingRuleKind.NEW_HIRE: _("A larger random sample of new hires"),
    SamplingRuleKind.RANDOM: _("A random sample of every agent"),
}
SAMPLING_RULE_HELP = {
    SamplingRuleKind.LOW_CSAT: _("Interactions whose customer answered the survey with 1 or 2."),
    SamplingRuleKind.ESCALATED: _("Interactions marked escalated."),
    SamplingRuleKind.NEW_HIRE: _(
        "Replaces the random sample for agents in their first weeks after their hire date."
    ),
    SamplingRuleKind.RANDOM: _(
        "Drawn from the week's resolved interactions; the same draw on every run."
    ),
}


class SamplingRulesForm(forms.Form):
    """A team's sampling rules: each on or off, with the numbers the random and new-hire draws use.

    The numbers are checked together in `sampling_services.sampling_rules_set`; its errors come
    back at these fields (named `<kind>_<setting>`).
    """

    def __init__(self, *args, rules: dict[str, SamplingRule], **kwargs):
        initial = kwargs.pop("initial", None) or {}
        for kind, rule in rules.items():
            initial.setdefault(f"{kind}_is_enabled", rule.is_enabled)
            if kind in (SamplingRuleKind.RANDOM, SamplingRuleKind.NEW_HIRE):
                initial.setdefault(f"{kind}_per_agent", rule.per_agent)
            if kind == SamplingRuleKind.NEW_HIRE:
                initial.setdefault(f"{kind}_new_hire_weeks", rule.new_hire_weeks)
        super().__init__(*args, initial=initial, **kwargs)
        self.kinds = list(rules)
        for kind in self.kinds:
            self.fields[f"{kind}_is_enabled"] = forms.BooleanField(
                label=SAMPLING_RULE_LABELS[kind], required=False
            )
            if kind in (SamplingRuleKind.RANDOM, SamplingRuleKind.NEW_HIRE):
                self.fields[f"{kind}_per_agent"] = forms.IntegerField(
                    label=_("Interactions per agent per week"),
                    required=False,
                    min_value=1,
                    max_value=MAX_PER_AGENT,
                )
            if kind == SamplingRuleKind.NEW_HIRE:
                self.fields[f"{kind}_new_hire_weeks"] = forms.IntegerField(
                    label=_("For the first weeks after hiring"),
                    required=False,
                    min_value=1,
                    max_value=MAX_NEW_HIRE_WEEKS,
                )

    def settings(self) -> dict[str, RuleSetting]:
        data = self.cleaned_data
        return {
            kind: RuleSetting(
                is_enabled=data[f"{kind}_is_enabled"],
                per_agent=data.get(f"{kind}_per_agent"),
                new_hire_weeks=data.get(f"{kind}_new_hire_weeks"),
            )
            for kind in self.kinds
        }

    def rows(self) -> list[dict]:
        """Return one row per rule: its switch and its number fields, for the table."""
        return [
            {
                "kind": kind,
                "enabled": self[f"{kind}_is_enabled"],
                "numbers": [
                    self[name]
                    for name in (f"{kind}_per_agent", f"{kind}_new_hire_weeks")
                    if name in self.fields
                ],
                "help": SAMPLING_RULE_HELP[kind],
            }
            for kind in self.kinds
        ]

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class ReviewerQuotaForm(forms.Form):
    """Each reviewer's weekly quota of published reviews; empty means no quota."""

    def __init__(self, *args, reviewers: list[Employee], **kwargs):
        initial = kwargs.pop("initial", None) or {}
        for reviewer in reviewers:
            quota = getattr(reviewer, "review_quota", None)
            initial.setdefault(self.field_name(reviewer.pk), quota and quota.reviews_per_week)
        super().__init__(*args, initial=initial, **kwargs)
        self.reviewers = reviewers
        for reviewer in reviewers:
            self.fields[self.field_name(reviewer.pk)] = forms.IntegerField(
                label=_("Reviews per week for %(name)s") % {"name": reviewer.full_name},
                required=False,
                min_value=1,
                max_value=MAX_QUOTA,
            )

    @staticmethod
    def field_name(reviewer_id: int) -> str:
        return f"quota_{reviewer_id}"

    def quotas(self) -> dict[int, int | None]:
        return {
            reviewer.pk: self.cleaned_data[self.field_name(reviewer.pk)]
            for reviewer in self.reviewers
        }

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show a service's ValidationError at the fields it names."""
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
