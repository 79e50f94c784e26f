"""The Zendesk part of a connection's settings page: the account, its token, the escalation rule."""

import datetime as dt

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.models import Connection
from integrations.zendesk.client import SUBDOMAIN_RE
from integrations.zendesk.mapping import ESCALATION_GROUPS, ESCALATION_NONE, ESCALATION_TAG
from staff.bounds import validate_day_in_range

ESCALATION_CHOICES = [
    (ESCALATION_GROUPS, _("The ticket passed through more than one group")),
    (ESCALATION_TAG, _("The ticket carries a tag")),
    (ESCALATION_NONE, _("Never (no escalation measured)")),
]


class ZendeskSettingsForm(forms.Form):
    subdomain = forms.CharField(
        label=_("Zendesk subdomain"),
        max_length=63,
        help_text=_("The first part of your Zendesk address: acme for acme.zendesk.com."),
    )
    email = forms.EmailField(
        label=_("Admin e-mail"),
        help_text=_("The e-mail of the Zendesk admin the API token belongs to."),
    )
    api_token = forms.CharField(
        label=_("API token"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Admin Center → Apps and integrations → Zendesk API → Add API token. "
            "Leave empty to keep the token already saved."
        ),
    )
    escalation = forms.ChoiceField(
        label=_("A ticket counts as escalated when"), choices=ESCALATION_CHOICES
    )
    escalation_tag = forms.CharField(
        label=_("Escalation tag"),
        required=False,
        max_length=80,
        help_text=_("Only when escalation is by tag, e.g. escalated."),
    )
    start_date = forms.DateField(
        label=_("Import tickets changed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_day_in_range],
        help_text=_("The first poll only; empty means the last 30 days."),
    )

    def __init__(self, *args, connection: Connection | None = None, **kwargs):
        self.connection = connection
        if connection is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                key: connection.settings.get(key)
                for key in ("subdomain", "email", "escalation", "escalation_tag", "start_date")
            }
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_subdomain(self) -> str:
        value = self.cleaned_data["subdomain"].strip().lower()
        # People paste the whole address.
        for prefix in ("https://", "http://"):
            value = value.removeprefix(prefix)
        value = value.split("/", 1)[0].removesuffix(".zendesk.com")
        if not SUBDOMAIN_RE.match(value):
            raise forms.ValidationError(
                _("Use letters, digits and hyphens only, as in acme for acme.zendesk.com.")
            )
        return value

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_api_token(self) -> str:
        token = self.cleaned_data["api_token"].strip()
        if not token and (self.connection is None or not self.connection.secret):
            raise forms.ValidationError(_("Paste the API token."))
        return token

    def clean_start_date(self) -> dt.date | None:
        day = self.cleaned_data["start_date"]
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Choose a day that has begun."))
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("escalation") == ESCALATION_TAG and not cleaned.get("escalation_tag"):
            self.add_error("escalation_tag", _("Name the tag that marks an escalated ticket."))
        return cleaned


class ZendeskConnectionForm(ZendeskSettingsForm):
    """A new Zendesk connection: its name, then the account."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("How the pages call it, e.g. the Zendesk account or brand."),
    )
    field_order = ["name"]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the connection a name."))
        return name
