from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.choices import ConnectionKind, EventStatus
from integrations.models import Connection

# The kinds this page configures completely: a Chatwoot connection needs only a name.
ADDABLE_KINDS = [ConnectionKind.CHATWOOT]


class ConnectionForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Helpdesk"), choices=[(kind.value, kind.label) for kind in ADDABLE_KINDS]
    )

    class Meta:
        model = Connection
        fields = ["kind", "name", "signing_secret"]
        help_texts = {
            "name": _("How the pages call it, e.g. the Chatwoot account or inbox."),
            "signing_secret": _(
                "Optional. If your Chatwoot shows a secret for the webhook, paste it here: "
                "deliveries without its signature are then refused."
            ),
        }
        widgets = {"signing_secret": forms.PasswordInput(render_value=False)}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the connection a name."))
        return name


class EventFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *EventStatus.choices]
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A conversation id, an event name or words of the error."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class AgentMapForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
