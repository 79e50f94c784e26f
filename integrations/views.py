"""The helpdesk connection pages (admins): connections, their state and events, the agent queue."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crs_site.http import query_text
from crs_site.lib.spreadsheet import Column, columns_download, export_format
from integrations.choices import ConnectionKind, EventStatus
from integrations.forms import AgentMapForm, ConnectionForm, EventFilterForm, SearchForm
from integrations.models import Connection, ExternalAgent, InboundEvent
from integrations.selectors import (
    CONNECTION_SORTS,
    DEFAULT_CONNECTION_SORT,
    agents_queue,
    connection_events,
    connection_list,
    connection_state,
    employee_suggested,
    employees_mappable,
)
from integrations.services import (
    agent_map,
    connection_create,
    connection_set_paused,
    events_reprocess,
)
from integrations.zendesk.selectors import zendesk_state
from staff.selectors import employee_for_user, is_admin

PER_PAGE = 25
_NEW_SECRET = "integrations_new_connection"


def _admin_only(request) -> None:
    if not is_admin(user=request.user):
        raise PermissionDenied(_("Only administrators configure helpdesk connections."))


def _webhook_url(request, connection: Connection, secret: str) -> str:
    return request.build_absolute_uri(
        reverse(
            "integrations:chatwoot_webhook",
            kwargs={"connection_uuid": connection.uuid, "secret": secret},
        )
    )


@login_required
@require_GET
def connection_list_view(request):
    _admin_only(request)
    form = SearchForm(request.GET or None)
    query = query_text(request, "q")
    sort = request.GET.get("sort", DEFAULT_CONNECTION_SORT)
    if sort not in CONNECTION_SORTS:
        sort = DEFAULT_CONNECTION_SORT
    connections = connection_list(query=query, sort=sort)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="connections",
            title=_("Helpdesk connections"),
            columns=[
                Column(_("Name"), lambda connection: connection.name),
                Column(_("Helpdesk"), lambda connection: connection.get_kind_display()),
                Column(_("Paused"), lambda connection: connection.is_paused),
                Column(_("Last event"), lambda connection: connection.newest_event_at),
                Column(_("Accepted"), lambda connection: connection.accepted_count),
                Column(_("Pending"), lambda connection: connection.pending_count),
                Column(_("Held"), lambda connection: connection.held_count),
                Column(_("Refused"), lambda connection: connection.refused_count),
            ],
            items=connections,
        )
    page = Paginator(connections, PER_PAGE).get_page(request.GET.get("page"))
    filter_query = urlencode({"q": query}) if query else ""
    return render(
        request,
        "integrations/connection_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "filter_query": filter_query,
            "page_query": "&".join(filter(None, [filter_query, urlencode({"sort": sort})])),
            "is_filtered": bool(query),
            "agents_waiting": agents_queue().count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def connection_add_view(request):
    _admin_only(request)
    form = ConnectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        connection = connection_create(
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            signing_secret=form.cleaned_data["signing_secret"],
            created_by=employee_for_user(user=request.user),
        )
        # Shown once, on the next page only: the session forgets it when it is read.
        request.session[_NEW_SECRET] = {"pk": connection.pk, "secret": connection.secret}
        return redirect("integrations:connection_detail", pk=connection.pk)
    return render(request, "integrations/connection_form.html", {"form": form})


@login_required
@require_GET
def connection_detail_view(request, pk: int):
    _admin_only(request)
    connection = get_object_or_404(Connection, pk=pk)
    form = EventFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    query = query_text(request, "q")
    events = connection_events(connection=connection, status=status, query=query)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name=f"events-{connection.pk}",
            title=_("Events"),
            columns=[
                Column(_("Received"), lambda event: event.received_at),
                Column(_("Event"), lambda event: event.event_type),
                Column(_("Conversation"), lambda event: event.external_id),
                Column(_("Status"), lambda event: event.get_status_display()),
                Column(_("Note"), lambda event: event.error),
            ],
            items=events,
        )
    # Only the page (not a download) shows the new webhook address, once.
    new = request.session.pop(_NEW_SECRET, None)
    new_url = None
    if new and new.get("pk") == connection.pk:
        new_url = _webhook_url(request, connection, new["secret"])
    state = connection_state(connection=connection)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    filter_query = urlencode({k: v for k, v in (("status", status), ("q", query)) if v})
    return render(
        request,
        "integrations/connection_detail.html",
        {
            "connection": connection,
            "state": state,
            "zendesk": (
                zendesk_state(connection=connection, state=state)
                if connection.kind == ConnectionKind.ZENDESK
                else None
            ),
            "new_url": new_url,
            # The secret itself is never shown again: a placeholder stands in the address.
            "masked_url": _webhook_url(request, connection, "SECRET").replace(
                "/SECRET/", "/<secret>/"
            ),
            "form": form,
            "page": page,
            "page_query": filter_query,
            "is_filtered": bool(status or query),
            "statuses": EventStatus,
        },
    )


@login_required
@require_GET
def event_detail_view(request, pk: int, event_pk: int):
    _admin_only(request)
    event = get_object_or_404(
        InboundEvent.objects.select_related("connection", "agent", "interaction"),
        pk=event_pk,
        connection_id=pk,
    )
    try:
        pretty = json.dumps(json.loads(event.body), indent=2, ensure_ascii=False)
    except ValueError:
        pretty = event.body
    return render(
        request, "integrations/event_detail.html", {"event": event, "pretty_body": pretty}
    )


@login_required
@require_POST
def connection_pause_view(request, pk: int):
    _admin_only(request)
    connection = get_object_or_404(Connection, pk=pk)
    paused = request.POST.get("paused") == "1"
    connection_set_paused(connection=connection, paused=paused)
    messages.success(
        request,
        _("Paused: events are kept and processed when you resume.")
        if paused
        else _("Resumed: waiting events are being processed."),
    )
    return redirect("integrations:connection_detail", pk=connection.pk)


@login_required
@require_POST
def connection_reprocess_view(request, pk: int):
    _admin_only(request)
    connection = get_object_or_404(Connection, pk=pk)
    count = events_reprocess(connection=connection)
    messages.success(
        request,
        ngettext(
            "%(count)d refused event is being processed again.",
            "%(count)d refused events are being processed again.",
            count,
        )
        % {"count": count},
    )
    return redirect("integrations:connection_detail", pk=connection.pk)


@login_required
@require_GET
def agent_queue_view(request):
    _admin_only(request)
    form = SearchForm(request.GET or None)
    query = query_text(request, "q")
    waiting_only = request.GET.get("show") != "all"
    agents = agents_queue(waiting_only=waiting_only, query=query)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="helpdesk-agents",
            title=_("Helpdesk agents"),
            columns=[
                Column(_("Agent"), lambda agent: agent.name),
                Column(_("E-mail"), lambda agent: agent.email),
                Column(_("Helpdesk id"), lambda agent: agent.external_id),
                Column(_("Connection"), lambda agent: agent.connection.name),
                Column(_("Held events"), lambda agent: agent.held_count),
                Column(
                    _("Employee"), lambda agent: agent.employee.full_name if agent.employee else ""
                ),
            ],
            items=agents,
        )
    page = Paginator(agents, PER_PAGE).get_page(request.GET.get("page"))
    employees = list(employees_mappable())
    rows = [(agent, employee_suggested(agent=agent, employees=employees)) for agent in page]
    params = {k: v for k, v in (("q", query), ("show", "" if waiting_only else "all")) if v}
    return render(
        request,
        "integrations/agent_queue.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "employees": employees,
            "waiting_only": waiting_only,
            "page_query": urlencode(params),
            "is_filtered": bool(query),
        },
    )


@login_required
@require_POST
def agent_map_view(request, agent_pk: int):
    _admin_only(request)
    agent = get_object_or_404(ExternalAgent.objects.select_related("connection"), pk=agent_pk)
    form = AgentMapForm(request.POST, employees=employees_mappable())
    if not form.is_valid():
        message = _("Pick an active employee to map %(agent)s to.") % {"agent": agent}
        messages.error(request, message)
        return redirect("integrations:agent_queue")
    employee = form.cleaned_data["employee"]
    try:
        count = agent_map(agent=agent, employee=employee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("integrations:agent_queue")
    messages.success(
        request,
        ngettext(
            "Helpdesk agent %(agent)s is mapped to %(employee)s; %(count)d held event is "
            "being processed.",
            "Helpdesk agent %(agent)s is mapped to %(employee)s; %(count)d held events are "
            "being processed.",
            count,
        )
        % {"agent": agent, "employee": employee, "count": count},
    )
    return redirect("integrations:agent_queue")
