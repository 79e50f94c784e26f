"""Forms of the scorecard pages: they parse input; the services decide what is valid."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from scorecards.choices import ChangeKind, MetricCode
from scorecards.metrics import CATALOGUE, PERCENTAGE_METRICS
from scorecards.models import Metric, QACriterion, QASection, ScorecardVersion
from scorecards.selectors.periods import Period
from scorecards.services.goals import goal_validate
from scorecards.services.versions import EDITABLE_METRIC_FIELDS
from scorecards.translations import (
    CRITERION_TEXTS,
    METRIC_TEXTS,
    SECTION_TEXTS,
    VERSION_TEXTS,
    translation_is_stale,
    translation_languages,
    translation_text,
)
from staff.bounds import DayField, FiniteDecimalField


class GoalForm(forms.Form):
    metric = forms.ChoiceField(label=_("Metric"), choices=MetricCode.choices)
    target = FiniteDecimalField(
        label=_("Target"),
        max_digits=10,
        decimal_places=2,
        help_text=_("Percentages 0–100, NPS −100 to 100, minutes and hours 0 or more."),
    )
    starts_on = DayField(
        future=True,
        label=_("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = DayField(
        future=True,
        label=_("Ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    why = forms.CharField(
        label=_("Why this goal matters to me"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your own words: what will be better for you or your customers?"),
    )

    def clean(self):
        cleaned = super().clean()
        if all(name in cleaned for name in ("metric", "target", "starts_on", "ends_on", "why")):
            try:
                goal_validate(**{name: cleaned[name] for name in self.fields})
            except ValidationError as error:
                # The service holds the rules; its errors are keyed by field, shown at the field.
                self.add_error(None, error)
        return cleaned


# ---- team pages ----------------------------------------------------------------------------

PERIOD_DAYS = (7, 30, 90)
DEFAULT_PERIOD_DAYS = 30
# A year and a day: enough for any comparison a dashboard shows, and a bound on the work.
MAX_PERIOD_DAYS = 366


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _period_choices() -> list[tuple[int, str]]:
    # Called for each form, so the labels are in the language of the request, not of the import.
    return [(days, gettext("Last %(days)s days") % {"days": days}) for days in PERIOD_DAYS]


class PeriodForm(forms.Form):
    """The period picker of the team pages: the last 7, 30 or 90 days, or custom dates."""

    days = forms.TypedChoiceField(
        label=_("Period"),
        choices=_period_choices,
        coerce=int,
        required=False,
    )
    date_from = DayField(label=_("From"), required=False, widget=_date_input())
    date_to = DayField(label=_("To"), required=False, widget=_date_input())

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from is None and date_to is None:
            return cleaned
        if date_from is None:
            self.add_error("date_from", _("Give the first day of the period too."))
        if date_to is None:
            self.add_error("date_to", _("Give the last day of the period too."))
        if date_from is None or date_to is None:
            return cleaned
        if date_to > self.today:
            self.add_error("date_to", _("The period cannot end after today."))
        elif date_from > date_to:
            self.add_error("date_from", _("The first day must not be after the last day."))
        elif (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
            self.add_error(
                "date_from",
                _("Choose at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
            )
        return cleaned

    def period(self) -> Period:
        """Return the chosen period; the default one when the form is invalid or empty."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        if cleaned.get("date_from") and cleaned.get("date_to"):
            return Period(date_from=cleaned["date_from"], date_to=cleaned["date_to"])
        days = cleaned.get("days") or DEFAULT_PERIOD_DAYS
        return Period(date_from=self.today - dt.timedelta(days=days - 1), date_to=self.today)

    @property
    def is_custom(self) -> bool:
        """Tell whether the period is given by dates rather than a number of days."""
        return self.is_valid() and bool(self.cleaned_data.get("date_from"))


class ChangeEventForm(forms.Form):
    """Record a change by hand: its day, its team (or everyone), kind, title and notes."""

    day = DayField(label=_("Day"), widget=_date_input())
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        empty_label=_("Everyone"),
        help_text=_("Leave as “Everyone” for a change that applies to every team."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        # New scorecard versions are recorded when they are published.
        choices=[
            (value, label) for value, label in ChangeKind.choices if value != ChangeKind.SCORECARD
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, teams, may_choose_everyone: bool, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.may_choose_everyone = may_choose_everyone
        self.today = today
        if not may_choose_everyone:
            self.fields["team"].required = True
            self.fields["team"].empty_label = None
            self.fields["team"].help_text = ""

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise ValidationError(
                _("A change is recorded once it has happened: choose today or a past day."),
                code="future_day",
            )
        return day

    def clean_team(self):
        team = self.cleaned_data.get("team")
        if team is None and not self.may_choose_everyone:
            raise ValidationError(
                _("Only an administrator can record a change for everyone."), code="everyone"
            )
        return team


class ChangeEventFilterForm(forms.Form):
    """Narrow the change events to one team."""

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("All teams")
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


# ---- rules, onboarding and the scorecard editor --------------------------------------------


class RuleAcknowledgeForm(forms.Form):
    """The version the reader saw: acknowledging only counts for the rules on their screen."""

    version = forms.IntegerField(widget=forms.HiddenInput)


ONBOARDING_SHOW_CHOICES = [
    ("all", _("New hires and everyone yet to acknowledge")),
    ("pending", _("Yet to acknowledge the rules in force")),
    ("new", _("New hires of the last 90 days")),
]
ONBOARDING_SORT_CHOICES = [
    ("status", _("Not acknowledged first")),
    ("name", _("Name")),
    ("hire_date", _("Newest hire first")),
    ("team", _("Team")),
]


class OnboardingFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=ONBOARDING_SHOW_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=ONBOARDING_SORT_CHOICES, required=False)

    def cleaned_or_default(self) -> dict:
        """Return the chosen filter and order, falling back to the defaults on bad input."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        return {"show": cleaned.get("show") or "all", "sort": cleaned.get("sort") or "status"}


class OnboardingReminderForm(forms.Form):
    # Empty means everyone the list shows who has yet to acknowledge.
    employee = forms.IntegerField(required=False, widget=forms.HiddenInput)
    show = forms.ChoiceField(
        choices=ONBOARDING_SHOW_CHOICES, required=False, widget=forms.HiddenInput
    )


class TranslationFieldsMixin:
    """A field per language for each of the row's translatable texts (`translated_texts`).

    A translation whose English changed since it was written says so at the field and offers
    a box to confirm it still matches. `clean()` hands the service `translations` (per language
    the texts as typed) and `translations_confirmed` (the pairs confirmed).
    """

    translated_texts: tuple[str, ...] = ()

    def _translation_fields_add(self) -> None:
        instance = self.instance
        self._translation_layout = []
        for language, language_name in translation_languages():
            rows = []
            for name in self.translated_texts:
                model_field = instance._meta.get_field(name)
                english = getattr(instance, name) if instance.pk else ""
                stale = bool(instance.pk) and translation_is_stale(
                    instance.translations, language, name, english
                )
                max_length = getattr(model_field, "max_length", None)
                self.fields[f"tr_{language}_{name}"] = forms.CharField(
                    label=f"{capfirst(model_field.verbose_name)} ({language_name})",
                    required=False,
                    max_length=max_length,
                    initial=translation_text(instance.translations, language, name),
                    widget=forms.TextInput(attrs={"lang": language})
                    if max_length
                    else forms.Textarea(attrs={"rows": 2, "lang": language}),
                    help_text=_(
                        "English changed since this translation: check it against the English "
                        "text, then correct it or confirm it below."
                    )
                    if stale
                    else "",
                )
                if stale:
                    self.fields[f"tr_{language}_{name}_ok"] = forms.BooleanField(
                        label=_("This translation still matches the English"), required=False
                    )
                rows.append((name, stale))
            self._translation_layout.append((language, language_name, rows))

    def translation_groups(self) -> list[dict]:
        """Return per language its name and fields (each with its confirm box when stale)."""
        groups = []
        for language, language_name, rows in self._translation_layout:
            fields = [
                {
                    "field": self[f"tr_{language}_{name}"],
                    "confirm": self[f"tr_{language}_{name}_ok"] if stale else None,
                    "stale": stale,
                }
                for name, stale in rows
            ]
            groups.append({"language": language, "name": language_name, "fields": fields})
        return groups

    def translations_stale_count(self) -> int:
        return sum(stale for _l, _n, rows in self._translation_layout for _f, stale in rows)

    def translations_have_errors(self) -> bool:
        return any(name.startswith("tr_") for name in self.errors)

    def _translations_clean(self, cleaned: dict) -> None:
        # A field the request did not carry at all (a client that knows nothing of
        # translations) keeps its stored translation; a field sent empty removes it.
        cleaned["translations"] = {
            language: {
                name: cleaned.get(f"tr_{language}_{name}") or ""
                for name, _s in rows
                if self.add_prefix(f"tr_{language}_{name}") in self.data
            }
            for language, _n, rows in self._translation_layout
        }
        cleaned["translations_confirmed"] = [
            (language, name)
            for language, _n, rows in self._translation_layout
            for name, stale in rows
            if stale and cleaned.get(f"tr_{language}_{name}_ok")
        ]


def _positive(value, *, message):
    if value is not None and value <= 0:
        raise ValidationError(message, code="not_positive")
    return value


class ScorecardVersionDraftForm(TranslationFieldsMixin, forms.ModelForm):
    translated_texts = VERSION_TEXTS

    class Meta:
        model = ScorecardVersion
        fields = ["sla_minutes", "green_from", "amber_from", "intro", "change_summary"]
        field_classes = {"green_from": FiniteDecimalField, "amber_from": FiniteDecimalField}
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 4}),
            "change_summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "sla_minutes": _("An interaction answered within this many minutes meets the SLA."),
            "green_from": _("A total at or above this is green."),
            "amber_from": _("A total at or above this (and below green) is amber; below is red."),
            "intro": _("The first thing a new hire reads on the rules page."),
            "change_summary": _("In a sentence or two, what changes for the team and why."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._translation_fields_add()

    def clean_sla_minutes(self):
        return _positive(
            self.cleaned_data.get("sla_minutes"),
            message=_("The SLA must be at least one minute."),
        )

    def clean_green_from(self):
        green = self.cleaned_data.get("green_from")
        if green is not None and not 0 < green <= 100:
            raise ValidationError(_("Green must start above 0 and at most at 100."), code="range")
        return green

    def clean_amber_from(self):
        amber = self.cleaned_data.get("amber_from")
        if amber is not None and amber < 0:
            raise ValidationError(_("Amber cannot start below 0."), code="range")
        return amber

    def clean(self):
        cleaned = super().clean()
        green, amber = cleaned.get("green_from"), cleaned.get("amber_from")
        if green is not None and amber is not None and amber >= green:
            self.add_error(
                "amber_from",
                ValidationError(
                    _("Amber must start below green (%(green)s)."),
                    code="bands_order",
                    params={"green": green},
                ),
            )
        self._translations_clean(cleaned)
        return cleaned


class MetricForm(TranslationFieldsMixin, forms.ModelForm):
    translated_texts = METRIC_TEXTS

    class Meta:
        model = Metric
        fields = ["code", *EDITABLE_METRIC_FIELDS]
        field_classes = dict.fromkeys(("weight", "target", "floor"), FiniteDecimalField)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("rule_what", "rule_why", "rule_how")
        }
        help_texts = {
            "label": _("Leave empty to use the catalog name."),
            "weight": _("Its share of the total: weight divided by the sum of all weights."),
            "target": _("The value that scores 100."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        self._translation_fields_add()

    def clean_weight(self):
        return _positive(
            self.cleaned_data.get("weight"), message=_("The weight must be more than 0.")
        )

    def warnings(self) -> list[str]:
        """Return advice on the row as shown (saved or typed) that does not stop a save."""
        # Allowed, since a team may want it, but rarely meant: a day with one answered
        # interaction or one survey answer scores 0 or 100 on the metric.
        if self["code"].value() in PERCENTAGE_METRICS and str(self["min_sample"].value()) == "1":
            return [
                gettext(
                    "A minimum sample of 1 lets a single interaction or survey answer swing "
                    "this percentage, and the day's score, between 0 and 100. Consider a higher "
                    "minimum."
                )
            ]
        return []

    def clean_min_sample(self):
        return _positive(
            self.cleaned_data.get("min_sample"),
            message=_("The minimum sample must be at least 1."),
        )

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        if code and not cleaned.get("label"):
            cleaned["label"] = CATALOGUE[code].label
        spec = CATALOGUE.get(code)
        for name in ("target", "floor"):
            value = cleaned.get(name)
            if value is None or spec is None:
                continue
            if not spec.in_range(value):
                self.add_error(name, _value_range_error(low=spec.value_min, high=spec.value_max))
        target, floor = cleaned.get("target"), cleaned.get("floor")
        if target is not None and floor is not None and target == floor:
            self.add_error(
                "floor",
                ValidationError(
                    _("The floor must differ from the target: it is the value that scores 0."),
                    code="target_equals_floor",
                ),
            )
        self._translations_clean(cleaned)
        return cleaned


def _value_range_error(*, low, high) -> ValidationError:
    if high is None:
        return ValidationError(
            _("This metric cannot go below %(low)s."), code="range", params={"low": low}
        )
    return ValidationError(
        _("This metric runs from %(low)s to %(high)s."),
        code="range",
        params={"low": low, "high": high},
    )


class QASectionForm(TranslationFieldsMixin, forms.ModelForm):
    translated_texts = SECTION_TEXTS

    class Meta:
        model = QASection
        fields = ["code", "label", "weight", "auto_fail"]
        field_classes = {"weight": FiniteDecimalField}
        help_texts = {
            "code": _("Short and unique, e.g. compliance."),
            "weight": _("Its share of the QA total among the sections."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._translation_fields_add()

    def clean_weight(self):
        return _positive(
            self.cleaned_data.get("weight"), message=_("The weight must be more than 0.")
        )

    def clean(self):
        cleaned = super().clean()
        self._translations_clean(cleaned)
        return cleaned


class QACriterionForm(TranslationFieldsMixin, forms.ModelForm):
    """A criterion of the draft; its section is named by code, among the draft's sections."""

    translated_texts = CRITERION_TEXTS
    # A code, not the model's foreign key: a section typed in the same post has no row yet.
    section = forms.ChoiceField(label=_("Section"), required=False)
    extra_row_fields = ("section",)

    class Meta:
        model = QACriterion
        fields = ["code", "label", "description", "examples", "weight", "is_critical"]
        field_classes = {"weight": FiniteDecimalField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "examples": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"code": _("Short and unique, e.g. greeting.")}

    def __init__(self, *args, section_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._translation_fields_add()
        self.fields["section"].choices = [("", _("No section")), *section_choices]
        if self.instance.section_id is not None:
            self.initial["section"] = self.instance.section.code

    def clean_weight(self):
        return _positive(
            self.cleaned_data.get("weight"), message=_("The weight must be more than 0.")
        )

    def clean(self):
        cleaned = super().clean()
        self._translations_clean(cleaned)
        return cleaned


class _VersionPartFormSet(forms.BaseModelFormSet):
    """The metrics or criteria of a draft: each code once; the rows kept, in order."""

    duplicate_message = _("%(code)s is listed twice: keep one row for it.")

    def clean(self):
        # The model formset's own uniqueness check is replaced: it would compare against the
        # rows stored now, which the save replaces as a whole.
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            code = form.cleaned_data["code"]
            if code in seen:
                form.add_error(
                    "code",
                    ValidationError(
                        self.duplicate_message, code="duplicate", params={"code": code}
                    ),
                )
            seen.add(code)

    def kept_forms(self) -> list[forms.Form]:
        """Return the filled-in forms not marked for removal, in the order shown."""
        return [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form)
        ]

    def kept_rows(self) -> list[dict]:
        """Return the cleaned rows to keep, without the formset's bookkeeping fields."""
        extra = ("translations", "translations_confirmed")
        return [
            {
                name: form.cleaned_data[name]
                for name in (*form.Meta.fields, *extra, *getattr(form, "extra_row_fields", ()))
            }
            for form in self.kept_forms()
        ]


class MetricFormSetBase(_VersionPartFormSet):
    def clean(self):
        super().clean()
        if not any(self.errors) and not self.kept_forms():
            raise ValidationError(
                _("Keep at least one metric: a scorecard without metrics scores nothing."),
                code="no_metrics",
            )


MetricFormSet = forms.modelformset_factory(
    Metric, form=MetricForm, formset=MetricFormSetBase, extra=1, can_delete=True
)
QACriterionFormSet = forms.modelformset_factory(
    QACriterion, form=QACriterionForm, formset=_VersionPartFormSet, extra=1, can_delete=True
)
QASectionFormSet = forms.modelformset_factory(
    QASection, form=QASectionForm, formset=_VersionPartFormSet, extra=1, can_delete=True
)


def qa_section_choices(*, version: ScorecardVersion, data=None, prefix: str) -> list[tuple]:
    """Return the sections a criterion may name: the draft's, and those typed in the same post."""
    choices = {section.code: section.label for section in version.qa_sections.all()}
    if data is not None:
        try:
            total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000)
        except ValueError:
            total = 0
        for index in range(total):
            code = (data.get(f"{prefix}-{index}-code") or "").strip()
            if code and code not in choices:
                choices[code] = data.get(f"{prefix}-{index}-label") or code
    return list(choices.items())


def qa_sections_errors_show(*, section_formset, criterion_formset) -> bool:
    """Put each criterion's section mistake at its field; return whether all are in order."""
    if section_formset.is_bound:
        codes = [row["code"] for row in section_formset.kept_rows()]
    else:
        codes = [form.instance.code for form in section_formset.forms if form.instance.pk]
    kept = criterion_formset.kept_forms()
    in_order = True
    for form in kept:
        section = form.cleaned_data.get("section") or ""
        if section and section not in codes:
            form.add_error(
                "section",
                ValidationError(
                    _("The section %(code)s is being removed: pick another."),
                    code="unknown_section",
                    params={"code": section},
                ),
            )
            in_order = False
        elif codes and not section:
            form.add_error(
                "section",
                ValidationError(
                    _("This version has sections: pick this criterion's section."),
                    code="criterion_without_section",
                ),
            )
            in_order = False
    return in_order


class VersionPublishForm(forms.Form):
    effective_from = DayField(
        future=True,
        label=_("Takes effect on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Days from this date on are scored with this version. A past date rescores every "
            "day since."
        ),
    )
    confirm_rescore = forms.BooleanField(
        label=_("Yes, rescore the days already scored since that date"), required=False
    )

    def __init__(self, *args, today, rescored_count=None, **kwargs):
        """`rescored_count(day)` says how many employee-days publishing from `day` rescores."""
        super().__init__(*args, **kwargs)
        self.today = today
        self.rescored_count = rescored_count
        self.rescored = None

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("effective_from")
        if day is None or day >= self.today or self.rescored_count is None:
            return cleaned
        # A back-dated publication changes scores people have seen: say how many first.
        self.rescored = self.rescored_count(day)
        if self.rescored and not cleaned.get("confirm_rescore"):
            self.add_error(
                "confirm_rescore",
                ValidationError(
                    ngettext(
                        "Publishing from %(day)s rescores %(count)s employee-day already "
                        "scored. Tick the box to confirm.",
                        "Publishing from %(day)s rescores %(count)s employee-days already "
                        "scored. Tick the box to confirm.",
                        self.rescored,
                    ),
                    code="confirm_rescore",
                    params={"day": formats.date_format(day), "count": self.rescored},
                ),
            )
        return cleaned
