"""Pages of this area: team dashboard, compare teams, change events with their impact, alerts.

Team figures are for managers of the team and admins: a team the user may not see answers 404,
and the pages that list several teams answer 403 to anyone who manages none.
"""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from crs_site.http import redirect_back
from crs_site.lib.quantities import unit_label
from crs_site.lib.spreadsheet import (
    EXPORT_FORMATS,
    Column,
    columns_download,
    export_format,
    table_download,
    with_unit,
)
from scorecards.forms import PERIOD_DAYS, ChangeEventFilterForm, ChangeEventForm, PeriodForm
from scorecards.metrics import CATALOGUE
from scorecards.metrics import metric as metric_spec
from scorecards.metrics import metrics as metric_specs
from scorecards.scoring import quantize
from scorecards.selectors.alerts import ALERT_STATUSES, alert_list, alerts_writable_by
from scorecards.selectors.changes import (
    change_event_impact,
    change_event_list,
    change_events_visible_to,
    change_events_writable_by,
)
from scorecards.selectors.digests import manager_digests
from scorecards.selectors.team import (
    MEMBER_SORT_KEYS,
    TeamDashboard,
    TeamsComparison,
    manages_teams,
    team_dashboard,
    teams_comparison,
)
from scorecards.services.alerts import alert_acknowledge
from scorecards.services.changes import (
    change_event_delete,
    change_event_record,
    change_event_update,
)
from scorecards.services.digests import digest_render
from scorecards.significance import MIN_SAMPLE
from staff.selectors import employee_for_user, is_admin, teams_visible_to

EVENTS_PER_PAGE = 25
ALERTS_PER_PAGE = 25
# Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").


def _require_manager(request) -> None:
    if not manages_teams(user=request.user):
        raise PermissionDenied(_("Team pages are for managers and administrators."))


def _period_form(request) -> PeriodForm:
    params = {
        key: request.GET[key] for key in ("days", "date_from", "date_to") if key in request.GET
    }
    return PeriodForm(params or None, today=timezone.localdate())


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@login_required
def team_list(request):
    """List the teams the user manages (admins: all) with their pooled figures."""
    _require_manager(request)
    form = _period_form(request)
    comparison = teams_comparison(teams=teams_visible_to(user=request.user), period=form.period())
    if file_format := export_format(request):
        return _teams_download(comparison, file_format)
    return render(
        request,
        "scorecards/team_list.html",
        {"comparison": comparison, "period_form": form, "quick_days": PERIOD_DAYS},
    )


def _sort_headers(request, *, dashboard: TeamDashboard, sort: str) -> list[dict]:
    """Return the member table's column headers, each with the link that sorts by it."""
    columns = [
        ("name", _("Name")),
        ("total", _("Total")),
        ("band", _("Band")),
        ("change", _("Change")),
    ]
    columns += [(spec.code, spec.short_label) for spec in dashboard.metric_specs]
    current_key, descending = sort.removeprefix("-"), sort.startswith("-")
    headers = []
    for key, label in columns:
        is_current = key == current_key
        # Numbers start best-first (descending); names start A to Z.
        if is_current:
            next_sort = key if descending else f"-{key}"
        else:
            next_sort = key if key == "name" else f"-{key}"
        query = request.GET.copy()
        query["sort"] = next_sort
        query.pop("format", None)
        query.pop("page", None)
        headers.append(
            {
                "key": key,
                "label": label,
                # The short heading's full name, for a metric column.
                "title": metric_spec(key).label if key in CATALOGUE else "",
                "url": f"?{query.urlencode()}#members",
                "aria_sort": ("descending" if descending else "ascending") if is_current else "",
            }
        )
    return headers


def team_day_url(team, day: dt.date) -> str:
    """Return the team dashboard narrowed to one day, at its member table: a trend point's
    drill-down, from where each member's figure opens that person's day explained."""
    iso = day.isoformat()
    return (
        reverse("scorecards:team_dashboard", args=[team.slug])
        + f"?date_from={iso}&date_to={iso}#members"
    )


def _trend_chart(dashboard: TeamDashboard) -> dict:
    """The team's daily totals; a click on a day's point opens that day (`links`, charts.js)."""
    index = {point.day: position for position, point in enumerate(dashboard.trend)}
    return {
        "type": "line",
        "labels": [date_format(point.day, "SHORT_DATE_FORMAT") for point in dashboard.trend],
        "links": [
            team_day_url(dashboard.team, point.day) if point.total is not None else None
            for point in dashboard.trend
        ],
        "datasets": [
            {
                "label": _("Team total"),
                "data": [_number(point.total) for point in dashboard.trend],
                "borderColor": "#0d6efd",
                "backgroundColor": "rgba(13, 110, 253, 0.1)",
                "tension": 0.2,
            }
        ],
        "markers": [{"x": index[event.day], "label": event.title} for event in dashboard.events],
        "options": {"scales": {"y": {"min": 0, "max": 100}}},
    }


def _member_drill_url(employee, period) -> str:
    """Return where a member's cell leads, before the metric's anchor: for one day, that day
    explained; for longer, the person's page over as many days, at the metric's line (its num
    and den, and from there each day explained)."""
    if period.date_from == period.date_to:
        return reverse("scorecards:agent_explain", args=[employee.pk, period.date_from])
    days = (period.date_to - period.date_from).days + 1
    return reverse("scorecards:agent_detail", args=[employee.pk]) + f"?days={days}"


@login_required
def team_dashboard_view(request, slug: str):
    """Show a team's pooled figures, trend, metrics, members and open alerts for a period."""
    team = get_object_or_404(teams_visible_to(user=request.user), slug=slug)
    form = _period_form(request)
    sort = request.GET.get("sort", "name")
    if sort.removeprefix("-") not in MEMBER_SORT_KEYS:
        sort = "name"
    if request.GET.get("format") in EXPORT_FORMATS:
        return _members_download(
            team_dashboard(team=team, period=form.period(), sort=sort), request.GET["format"]
        )
    dashboard = team_dashboard(
        team=team, period=form.period(), sort=sort, member_page=request.GET.get("page") or 1
    )
    page_query = request.GET.copy()
    page_query.pop("page", None)
    context = {
        "dashboard": dashboard,
        "period_form": form,
        "quick_days": PERIOD_DAYS,
        "sort": sort,
        "headers": _sort_headers(request, dashboard=dashboard, sort=sort),
        "member_rows": [
            {
                "member": member,
                "url": reverse("scorecards:agent_detail", args=[member.employee.pk]),
                "period_url": _member_drill_url(member.employee, dashboard.period),
                "metrics": [
                    (spec.code, member.current.metrics.get(spec.code))
                    for spec in dashboard.metric_specs
                ],
            }
            for member in dashboard.members
        ],
        "page_query": page_query.urlencode(),
        "chart": _trend_chart(dashboard),
    }
    return render(request, "scorecards/team_dashboard.html", context)


def _members_download(dashboard: TeamDashboard, file_format: str) -> HttpResponse:
    """The member table as CSV or Excel: translated headers with units, numbers as numbers."""
    period = dashboard.period
    filename = f"{dashboard.team.slug}-{period.date_from.isoformat()}-{period.date_to.isoformat()}"
    specs = dashboard.metric_specs
    points = unit_label("points")
    headers = [
        _("Name"),
        f"{_('Total')} ({points})",
        _("Band"),
        f"{_('Change')} ({points})",
        # The cells are plain numbers, so the heading carries the unit.
        *[f"{spec.label} ({spec.unit.symbol})" for spec in specs],
    ]
    rows = []
    for member in dashboard.members:
        values = []
        for spec in specs:
            result = member.current.metrics.get(spec.code)
            values.append(quantize(result.value) if result and result.value is not None else None)
        rows.append(
            [
                member.employee.full_name,
                member.current.total,
                member.current.band_label,
                member.change,
                *values,
            ]
        )
    return table_download(
        file_format=file_format,
        filename=filename,
        title=dashboard.team.name,
        headers=headers,
        rows=rows,
    )


def _teams_download(comparison: TeamsComparison, file_format: str) -> HttpResponse:
    """The teams' pooled figures over the period as CSV or Excel, one metric a column."""
    period = comparison.period

    def metric_value(code: str):
        def value(figures):
            result = figures.current.metrics.get(code)
            return quantize(result.value) if result and result.value is not None else None

        return value

    return columns_download(
        file_format=file_format,
        name=f"teams-{period.date_from.isoformat()}-{period.date_to.isoformat()}",
        dated=False,
        title=_("Teams"),
        columns=[
            Column(_("Team"), lambda figures: figures.team.name),
            Column(with_unit(_("Total"), "points"), lambda figures: figures.current.total),
            Column(_("Band"), lambda figures: figures.current.band_label),
            Column(with_unit(_("Scored days"), "days"), lambda figures: figures.current.rows),
            *[
                Column(f"{spec.label} ({spec.unit.symbol})", metric_value(spec.code))
                for spec in metric_specs(comparison.metric_codes)
            ],
        ],
        items=comparison.teams,
    )


@login_required
def team_compare(request):
    """Show every team the user may see side by side over a period, on one chart."""
    _require_manager(request)
    form = _period_form(request)
    comparison = teams_comparison(teams=teams_visible_to(user=request.user), period=form.period())
    if file_format := export_format(request):
        return _teams_download(comparison, file_format)
    palette = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"]
    days = comparison.period.day_list()
    # Drill-down: a team's point of a day opens that team's dashboard for the day.
    links = {
        figures.team.pk: [
            team_day_url(figures.team, day) if total is not None else None
            for day, total in zip(days, comparison.trend[figures.team.pk], strict=True)
        ]
        for figures in comparison.teams
    }
    chart = {
        "type": "line",
        "labels": [date_format(day, "SHORT_DATE_FORMAT") for day in days],
        "datasets": [
            {
                "label": figures.team.name,
                "data": [_number(total) for total in comparison.trend[figures.team.pk]],
                "links": links[figures.team.pk],
                "borderColor": palette[position % len(palette)],
                "backgroundColor": palette[position % len(palette)],
                "tension": 0.2,
            }
            for position, figures in enumerate(comparison.teams)
        ],
        "options": {"scales": {"y": {"min": 0, "max": 100}}},
    }
    rows = [
        {
            "figures": figures,
            "metrics": [
                (code, figures.current.metrics.get(code)) for code in comparison.metric_codes
            ],
        }
        for figures in comparison.teams
    ]
    context = {
        "comparison": comparison,
        "period_form": form,
        "quick_days": PERIOD_DAYS,
        "chart": chart,
        "rows": rows,
        "metric_specs": metric_specs(comparison.metric_codes),
        "trend_rows": [
            {
                "day": day,
                "cells": [
                    {"total": comparison.trend[f.team.pk][i], "url": links[f.team.pk][i]}
                    for f in comparison.teams
                ],
            }
            for i, day in enumerate(days)
        ],
    }
    return render(request, "scorecards/compare_teams.html", context)


@login_required
def change_list(request):
    """List the change events the user may see, newest first, optionally for one team."""
    _require_manager(request)
    teams = teams_visible_to(user=request.user)
    form = ChangeEventFilterForm(request.GET or None, teams=teams)
    team = form.cleaned_data.get("team") if form.is_valid() else None
    events = change_event_list(user=request.user, team=team)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="changes",
            title=_("Changes"),
            columns=[
                Column(_("Day"), lambda event: event.day),
                Column(_("Title"), lambda event: event.title),
                Column(_("Kind"), lambda event: event.get_kind_display()),
                Column(_("Team"), lambda event: event.team.name if event.team else _("Everyone")),
                Column(_("Recorded by"), _change_recorded_by),
                Column(_("Notes"), lambda event: event.notes),
            ],
            items=events,
        )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter_form": form, "page": page, "query": query.urlencode()}
    return render(request, "scorecards/change_event_list.html", context)


def _change_recorded_by(event) -> str:
    if event.is_automatic:
        return _("automatically")
    return event.created_by.full_name if event.created_by else ""


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request):
    """Record a change event for one of the user's teams (admins: also for everyone)."""
    _require_manager(request)
    today = timezone.localdate()
    form = ChangeEventForm(
        request.POST or None,
        teams=teams_visible_to(user=request.user),
        may_choose_everyone=is_admin(user=request.user),
        today=today,
        initial={"day": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = change_event_record(
                **form.cleaned_data, created_by=employee_for_user(user=request.user), today=today
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The change is recorded."))
            return redirect("scorecards:change_impact", pk=event.pk)
    return render(request, "scorecards/change_event_form.html", {"form": form})


@login_required
def change_impact(request, pk: int):
    """Show each metric pooled over the 14 days before a change and the 14 days from it."""
    event = get_object_or_404(
        change_events_visible_to(user=request.user).select_related("team", "created_by__user"),
        pk=pk,
    )
    impact = change_event_impact(event=event, today=timezone.localdate())
    can_change = change_events_writable_by(user=request.user).filter(pk=event.pk).exists()
    return render(
        request,
        "scorecards/change_event_impact.html",
        {"impact": impact, "min_sample": MIN_SAMPLE, "can_change": can_change},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, pk: int):
    """Correct a change recorded by hand (managers: of their teams)."""
    _require_manager(request)
    event = get_object_or_404(change_events_writable_by(user=request.user), pk=pk)
    today = timezone.localdate()
    initial = {field: getattr(event, field) for field in ("day", "team", "kind", "title", "notes")}
    form = ChangeEventForm(
        request.POST or None,
        teams=teams_visible_to(user=request.user),
        may_choose_everyone=is_admin(user=request.user),
        today=today,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            change_event_update(event=event, **form.cleaned_data, today=today)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The change is saved."))
            return redirect("scorecards:change_impact", pk=event.pk)
    return render(request, "scorecards/change_event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def change_delete(request, pk: int):
    """Ask, then remove a change recorded by hand."""
    _require_manager(request)
    event = get_object_or_404(change_events_writable_by(user=request.user), pk=pk)
    if request.method == "POST":
        change_event_delete(event=event)
        messages.success(request, _("The change is deleted."))
        return redirect("scorecards:change_list")
    return render(request, "scorecards/change_event_confirm_delete.html", {"event": event})


@login_required
def alert_list_view(request):
    """List the alerts of the user's teams and people, open ones first by default."""
    _require_manager(request)
    status = request.GET.get("status", "open")
    if status not in ALERT_STATUSES:
        status = "open"
    alerts = alert_list(user=request.user, status=status)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="alerts",
            title=_("Alerts"),
            columns=[
                Column(_("Day"), lambda alert: alert.day),
                Column(_("Team"), lambda alert: alert.team.name if alert.team else ""),
                Column(
                    _("Person"), lambda alert: alert.employee.full_name if alert.employee else ""
                ),
                Column(_("What"), lambda alert: alert.get_kind_display()),
                Column(
                    with_unit(_("Total before"), "points"),
                    lambda alert: _alert_total(alert, "previous_total"),
                ),
                Column(
                    with_unit(_("Total now"), "points"),
                    lambda alert: _alert_total(alert, "current_total"),
                ),
                Column(_("Acknowledged"), lambda alert: alert.acknowledged_at),
                Column(_("Acknowledged by"), _alert_acknowledged_by),
            ],
            items=alerts,
        )
    page = Paginator(alerts, ALERTS_PER_PAGE).get_page(request.GET.get("page"))
    statuses = [("open", _("Open")), ("acknowledged", _("Acknowledged")), ("all", _("All"))]
    context = {"page": page, "status": status, "statuses": statuses}
    return render(request, "scorecards/alert_list.html", context)


def _alert_total(alert, key: str) -> Decimal | None:
    """Return a drop alert's total (kept as text in its details) as a number, or None."""
    value = alert.details.get(key)
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def _alert_acknowledged_by(alert) -> str:
    who = alert.acknowledged_by
    return (who.get_full_name() or who.get_username()) if who else ""


@login_required
@require_POST
def alert_acknowledge_view(request, pk: int):
    """Acknowledge an alert, recording who and when, then go back where the user came from."""
    alert = get_object_or_404(alerts_writable_by(user=request.user), pk=pk)
    alert_acknowledge(alert=alert, user=request.user)
    messages.success(request, _("Alert acknowledged."))
    return redirect_back(request, "scorecards:alert_list")


@login_required
def digest_preview(request):
    """Show the manager this week's digest as the Monday e-mail will have it."""
    _require_manager(request)
    employee = employee_for_user(user=request.user)
    week_ending = timezone.localdate() - dt.timedelta(days=1)
    digests = (
        manager_digests(week_ending=week_ending, manager=employee) if employee is not None else []
    )
    subject, body = digest_render(digest=digests[0]) if digests else ("", "")
    return render(request, "scorecards/digest_preview.html", {"subject": subject, "body": body})
