"""The Zendesk pages of the helpdesk connections: add one, change its account and rule."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.services import connection_create
from integrations.zendesk.forms import ZendeskConnectionForm, ZendeskSettingsForm
from integrations.zendesk.services import zendesk_settings_save
from staff.selectors import employee_for_user, is_admin


def _admin_only(request) -> None:
    if not is_admin(user=request.user):
        raise PermissionDenied(_("Only administrators configure helpdesk connections."))


def _settings(cleaned: dict) -> dict:
    keys = ("subdomain", "email", "api_token", "escalation", "escalation_tag", "start_date")
    return {key: cleaned[key] for key in keys}


@login_required
@require_http_methods(["GET", "POST"])
def zendesk_connection_add_view(request):
    _admin_only(request)
    form = ZendeskConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            connection = connection_create(
                kind=ConnectionKind.ZENDESK,
                name=form.cleaned_data["name"],
                created_by=employee_for_user(user=request.user),
            )
            zendesk_settings_save(connection=connection, **_settings(form.cleaned_data))
        messages.success(request, _("Connection added: the first poll runs within a minute."))
        return redirect("integrations:connection_detail", pk=connection.pk)
    return render(request, "integrations/zendesk_form.html", {"form": form, "connection": None})


@login_required
@require_http_methods(["GET", "POST"])
def zendesk_settings_view(request, pk: int):
    _admin_only(request)
    connection = get_object_or_404(Connection, pk=pk, kind=ConnectionKind.ZENDESK)
    form = ZendeskSettingsForm(request.POST or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        zendesk_settings_save(connection=connection, **_settings(form.cleaned_data))
        messages.success(request, _("Zendesk settings saved."))
        return redirect("integrations:connection_detail", pk=connection.pk)
    return render(
        request, "integrations/zendesk_form.html", {"form": form, "connection": connection}
    )
