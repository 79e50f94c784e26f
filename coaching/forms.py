"""Forms of the coaching pages: they parse input; the services decide what is valid."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from coaching.selectors import SessionTopics
from staff.bounds import DayField

_DATE = {"type": "date"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs=_DATE, format="%Y-%m-%d")


class _LabelledChoice(forms.ModelMultipleChoiceField):
    def __init__(self, *, label_of, **kwargs):
        self._label_of = label_of
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return self._label_of(obj)


class CoachingSessionForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)
    held_on = DayField(label=_("Held on"), widget=_date_widget())
    metrics = forms.MultipleChoiceField(
        label=_("Metrics talked about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their effect is shown on the session's page: 14 days before and after."),
    )
    criteria = forms.ModelMultipleChoiceField(
        label=_("QA criteria talked about"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviews = _LabelledChoice(
        label=_("Reviews it is about"),
        label_of=lambda review: f"{review.interaction.subject} · {review.total or '—'}",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interactions = _LabelledChoice(
        label=_("Interactions it is about"),
        label_of=lambda interaction: " · ".join(
            (
                formats.date_format(timezone.localtime(interaction.opened_at), "SHORT_DATE_FORMAT"),
                str(interaction.customer),
                interaction.subject,
            )
        ),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Goals it is about"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    follow_up_on = DayField(
        label=_("Follow-up on"), future=True, required=False, widget=_date_widget()
    )

    def __init__(self, *args, agents, topics: SessionTopics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].widget = forms.HiddenInput()
        self.fields["metrics"].choices = topics.metrics
        for name in ("criteria", "reviews", "interactions", "goals"):
            self.fields[name].queryset = getattr(topics, name)


class AgentChoiceForm(forms.Form):
    """The first step of a new session: whom it is with."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=None)

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents


OWNER_AGENT = "agent"
OWNER_COACH = "coach"


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300, required=False)
    owner = forms.ChoiceField(
        label=_("Owner"),
        choices=[(OWNER_AGENT, _("Agent")), (OWNER_COACH, _("Coach"))],
        required=False,
    )
    due_on = DayField(label=_("Due on"), future=True, required=False, widget=_date_widget())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("description") and not cleaned.get("due_on"):
            self.add_error("due_on", ValidationError(_("Give the action a due date.")))
        if cleaned.get("due_on") and not cleaned.get("description"):
            self.add_error("description", ValidationError(_("Say what is to be done.")))
        return cleaned


ActionFormSet = forms.formset_factory(ActionForm, extra=3, max_num=10, absolute_max=10)


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
