"""Forms of the interaction and customer pages: they parse input; services decide what is valid."""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.choices import Channel, Tier
from customers.models import Customer, Interaction
from staff.bounds import DayField, MomentField
from staff.choices import Language

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
INTERACTION_FIELDS = (
    "channel",
    "subject",
    "notes",
    "opened_at",
    "first_response_at",
    "resolved_at",
    "is_first_contact_resolution",
    "is_escalated",
    "follow_up_due",
)
NEW_CUSTOMER_FIELDS = ("name", "company", "email", "phone", "language")


def _moment_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's errors at the form's fields, and the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = getattr(form, "service_field_aliases", {})
    for field, messages in error.message_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, messages)


class InteractionForm(forms.Form):
    """Log or change one interaction; a manager also picks whose it is."""

    # Service errors about a model field that this form sets through another field.
    service_field_aliases = {"follow_up_done_at": "is_follow_up_done"}

    employee = forms.ModelChoiceField(
        label=_("Logged for"), queryset=None, required=True, empty_label=None
    )
    customer_query = forms.CharField(
        label=_("Find a customer"),
        required=False,
        max_length=100,
        help_text=_("Name, company, e-mail or external id."),
    )
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.none(),
        required=False,
        widget=forms.RadioSelect,
    )
    new_customer_name = forms.CharField(
        label=_("New customer's name"), required=False, max_length=200
    )
    new_customer_company = forms.CharField(label=_("Company"), required=False, max_length=200)
    new_customer_email = forms.EmailField(label=_("E-mail"), required=False)
    new_customer_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    new_customer_language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        required=False,
        help_text=_("Surveys reach the customer in this language."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    opened_at = MomentField(label=_("Opened at"), widget=_moment_input())
    first_response_at = MomentField(
        label=_("First response at"),
        required=False,
        widget=_moment_input(),
        help_text=_("Leave empty if nobody has answered yet."),
    )
    is_resolved = forms.BooleanField(label=_("Resolved"), required=False)
    resolved_at = MomentField(label=_("Resolved at"), required=False, widget=_moment_input())
    is_first_contact_resolution = forms.BooleanField(
        label=_("Resolved on first contact"), required=False
    )
    is_escalated = forms.BooleanField(label=_("Escalated"), required=False)
    follow_up_due = DayField(
        future=True,
        label=_("Follow-up due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    is_follow_up_done = forms.BooleanField(label=_("Follow-up done"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args,
        customers: QuerySet[Customer],
        employees=None,
        matches: Iterable[Customer] = (),
        interaction: Interaction | None = None,
        **kwargs,
    ):
        self.interaction = interaction
        if interaction is None:
            now = _now_to_the_minute()
            initial = {
                "opened_at": now,
                "first_response_at": now,
                "resolved_at": now,
                "is_resolved": True,
                "channel": Channel.PHONE,
            }
        else:
            initial = {name: getattr(interaction, name) for name in INTERACTION_FIELDS}
            initial["customer"] = interaction.customer_id
            initial["employee"] = interaction.employee_id
            initial["is_resolved"] = interaction.resolved_at is not None
            initial["resolved_at"] = interaction.resolved_at or _now_to_the_minute()
            initial["is_follow_up_done"] = interaction.follow_up_done_at is not None
            for name in ("opened_at", "first_response_at", "resolved_at"):
                if initial[name] is not None:
                    initial[name] = timezone.localtime(initial[name])
        initial.update(kwargs.pop("initial", None) or {})
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["customer"].queryset = customers
        if employees is None:
            del self.fields["employee"]
        else:
            self.fields["employee"].queryset = employees
        if interaction is None:
            del self.fields["is_follow_up_done"]
        else:
            for name in [n for n in self.fields if n.startswith("new_customer_")]:
                del self.fields[name]
        self.fields["customer_query"].widget.attrs.update(
            {
                "type": "search",
                "class": "form-control",
                "autocomplete": "off",
                "autofocus": interaction is None,
                "hx-get": reverse_lazy("customers:customer_search"),
                "hx-trigger": "input changed delay:200ms, search",
                "hx-target": "#customer-field",
                "hx-swap": "innerHTML",
                "aria-controls": "customer-field",
            }
        )
        self.set_customer_choices(matches)

    def set_customer_choices(self, matches: Iterable[Customer]) -> None:
        """Offer the search's matches, and keep the customer already picked among them."""
        choices = list(matches)
        picked = self._picked_customer()
        if picked is not None and picked.pk not in {c.pk for c in choices}:
            choices.insert(0, picked)
        self.customer_choices = choices

    @property
    def picked_customer_id(self) -> str:
        return str(self["customer"].value() or "")

    def _picked_customer(self) -> Customer | None:
        value = self.data.get("customer") if self.is_bound else self.initial.get("customer")
        if isinstance(value, Customer):
            return value
        if self.interaction is not None and str(value) == str(self.interaction.customer_id):
            return self.interaction.customer
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
        return self.fields["customer"].queryset.filter(pk=pk).first()

    @property
    def is_adding_customer(self) -> bool:
        return bool(self.is_bound and self.data.get("new_customer_name", "").strip())

    def clean(self):
        cleaned = super().clean()
        customer = cleaned.get("customer")
        new_name = cleaned.get("new_customer_name", "").strip()
        if customer is not None and new_name:
            self.add_error(
                "new_customer_name",
                _("Pick an existing customer or add a new one, not both."),
            )
        elif customer is None and not new_name and "customer" not in self.errors:
            self.add_error("customer", _("Pick a customer, or add a new one below."))
        if not cleaned.get("is_resolved"):
            cleaned["resolved_at"] = None
        elif cleaned.get("resolved_at") is None and "resolved_at" not in self.errors:
            self.add_error("resolved_at", _("Enter when it was resolved, or untick Resolved."))
        return cleaned

    def interaction_fields(self) -> dict:
        """Return the interaction's fields as the services take them."""
        fields = {name: self.cleaned_data[name] for name in INTERACTION_FIELDS}
        if "employee" in self.fields:
            fields["employee"] = self.cleaned_data["employee"]
        if self.interaction is not None:
            fields["customer"] = self.cleaned_data["customer"]
            done = self.cleaned_data["is_follow_up_done"]
            stored = self.interaction.follow_up_done_at
            fields["follow_up_done_at"] = (stored or timezone.now()) if done else None
        return fields

    def new_customer(self) -> dict | None:
        """Return the new customer's fields, or None when an existing one was picked."""
        if self.cleaned_data.get("customer") is not None:
            return None
        fields = {name: self.cleaned_data[f"new_customer_{name}"] for name in NEW_CUSTOMER_FIELDS}
        fields["name"] = fields["name"].strip()
        fields["language"] = fields["language"] or Language.EN
        return fields


class CustomerSearchForm(forms.Form):
    """The customer list's search, filters and sort; bad values fall back to no filter."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.ChoiceField(
        label=_("Tier"), required=False, choices=[("", _("Any tier")), *Tier.choices]
    )
    opted_out = forms.ChoiceField(
        label=_("Surveys"),
        required=False,
        choices=[
            ("", _("Any")),
            ("no", _("Receives surveys")),
            ("yes", _("Opted out of surveys")),
        ],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        opted_out = {"yes": True, "no": False}.get(self.cleaned_data["opted_out"])
        return {
            "query": self.cleaned_data["q"],
            "tier": self.cleaned_data["tier"],
            "opted_out": opted_out,
        }
