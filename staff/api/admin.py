"""API keys in the admin: created with scopes and teams, the key shown once, then only its prefix.

Imported by `staff.admin`, so the admin registers it with the app's other models.
"""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from staff.choices import ApiScope
from staff.models import ApiKey
from staff.services import api_key_teams_set


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        choices=ApiScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the key may do. A key without scopes reads only rules, teams, people."),
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "teams", "is_team_restricted", "expiry_date", "revoked"]
        help_texts = {
            "teams": _("Leave empty for every team; otherwise the key sees only these teams."),
            "is_team_restricted": _(
                "Set when teams are chosen. A restricted key whose teams are all deleted sees "
                "nothing; untick it and leave the teams empty to open the key to every team."
            ),
        }


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    form = ApiKeyForm
    list_display = [
        "name",
        "prefix",
        "scope_list",
        "created",
        "expiry_date",
        "_has_expired",
        "revoked",
        "last_used_at",
    ]
    list_filter = ["revoked", "created", "last_used_at"]
    search_fields = ["name", "prefix"]
    filter_horizontal = ["teams"]
    ordering = ["-created"]

    def get_readonly_fields(self, request, obj=None):
        # A revoked key stays revoked: the library freezes its name, expiry and revocation.
        return (*super().get_readonly_fields(request, obj), "created", "last_used_at")

    def get_fields(self, request, obj=None):
        fields = ["name", "scopes", "teams", "is_team_restricted", "expiry_date", "revoked"]
        return fields if obj is None else ["prefix", *fields, "created", "last_used_at"]

    @admin.display(description=_("scopes"))
    def scope_list(self, api_key: ApiKey) -> str:
        return ", ".join(api_key.scopes) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        api_key_teams_set(
            api_key=form.instance,
            teams=form.cleaned_data["teams"],
            is_team_restricted=form.cleaned_data["is_team_restricted"],
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        # Kept on the instance for the response below only: it is never stored.
        obj.raw_key = ApiKey.objects.assign_key(obj)
        obj.save()

    def response_add(self, request, obj, post_url_continue=None):
        """Show the new key on the page that answers its creation, and nowhere else.

        A message would carry it in the messages cookie (signed, not encrypted) and a redirect
        in a URL; this page is not cached and cannot be shown again.
        """
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("API key created"),
            "api_key": obj,
            "raw_key": obj.raw_key,
        }
        response = TemplateResponse(request, "admin/staff/apikey/created.html", context)
        add_never_cache_headers(response)
        return response


# The library's own key model is not the one the API checks: keys made there would not work.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)
