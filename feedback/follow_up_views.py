"""Pages of follow-ups: the agent's own, a manager's people's overdue ones and open escalations,
and marking one done; each list downloads as CSV or Excel (`?table=` picks a section)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crs_site.http import query_text, redirect_back
from crs_site.lib.spreadsheet import Column, columns_download, export_format
from feedback import qa_selectors as selectors
from feedback import qa_services as services
from feedback.follow_up_sources import (
    FollowUpSection,
    follow_up_sections_mine,
    follow_up_sections_team,
)
from feedback.qa_views import PER_PAGE, _employee, _reviewer
from staff.selectors import teams_visible_to


def _follow_up_columns(*, with_agent: bool) -> list[Column]:
    agent = [Column(_("Agent"), lambda interaction: interaction.employee.full_name)]
    return [
        Column(_("Due"), lambda interaction: interaction.follow_up_due),
        *(agent if with_agent else []),
        Column(_("Customer"), lambda interaction: interaction.customer.display_name),
        Column(_("Phone"), lambda interaction: interaction.customer.phone),
        Column(_("Interaction"), lambda interaction: interaction.subject),
        Column(_("Channel"), lambda interaction: interaction.get_channel_display()),
        Column(_("Opened"), lambda interaction: interaction.opened_at),
        Column(_("Escalated"), lambda interaction: interaction.is_escalated),
    ]


def _section_asked(request, sections: list[FollowUpSection]) -> FollowUpSection | None:
    """Return the follow-up section (coaching actions, ...) a download asks for by `?table=`."""
    key = request.GET.get("table")
    return next((section for section in sections if section.key == key), None)


def _section_download(section: FollowUpSection, file_format: str, *, today, with_person: bool):
    person = [Column(_("Owner"), lambda item: item.person)]
    return columns_download(
        file_format=file_format,
        name=f"follow-ups-{section.key}",
        title=section.title,
        columns=[
            Column(_("Due"), lambda item: item.due_on),
            *(person if with_person else []),
            Column(_("What"), lambda item: item.title),
            Column(_("Overdue"), lambda item: item.is_overdue(today)),
        ],
        items=section.items,
    )


def _escalation_columns() -> list[Column]:
    return [
        Column(_("Opened"), lambda interaction: interaction.opened_at),
        Column(_("Agent"), lambda interaction: interaction.employee.full_name),
        Column(_("Customer"), lambda interaction: interaction.customer.display_name),
        Column(_("Interaction"), lambda interaction: interaction.subject),
        Column(_("Channel"), lambda interaction: interaction.get_channel_display()),
    ]


@login_required
def my_follow_ups(request):
    """List the agent's open follow-ups: overdue first (highlighted), then today, then later."""
    employee = _employee(request)
    today = selectors.today()
    sections = follow_up_sections_mine(employee=employee, today=today)
    if file_format := export_format(request):
        section = _section_asked(request, sections)
        if section is not None:
            return _section_download(section, file_format, today=today, with_person=False)
        return columns_download(
            file_format=file_format,
            name="my-follow-ups",
            title=_("My follow-ups"),
            columns=_follow_up_columns(with_agent=False),
            items=selectors.follow_ups_open(employee=employee),
        )
    open_items = list(selectors.follow_ups_open(employee=employee))
    return render(
        request,
        "feedback/followups/mine.html",
        {
            "today": today,
            "overdue": [i for i in open_items if i.follow_up_due < today],
            "due_today": [i for i in open_items if i.follow_up_due == today],
            "upcoming": [i for i in open_items if i.follow_up_due > today],
            "done_today": selectors.follow_ups_done_recently(employee=employee, today=today),
            "sections": sections,
        },
    )


@login_required
def team_follow_ups(request):
    """Show a manager their people's overdue follow-ups and open escalations."""
    _reviewer(request)
    today = selectors.today()
    teams = teams_visible_to(user=request.user).order_by("name")
    slug = query_text(request, "team")
    team = teams.filter(slug=slug).first() if slug else None
    overdue = selectors.team_follow_ups_overdue(user=request.user, today=today, team=team)
    escalations = selectors.team_escalations_open(user=request.user, today=today, team=team)
    sections = follow_up_sections_team(user=request.user, today=today, team=team)
    if file_format := export_format(request):
        section = _section_asked(request, sections)
        if section is not None:
            return _section_download(section, file_format, today=today, with_person=True)
        if request.GET.get("table") == "escalations":
            return columns_download(
                file_format=file_format,
                name="open-escalations",
                title=_("Open escalations"),
                columns=_escalation_columns(),
                items=escalations,
            )
        return columns_download(
            file_format=file_format,
            name="overdue-follow-ups",
            title=_("Overdue follow-ups"),
            columns=_follow_up_columns(with_agent=True),
            items=overdue,
        )
    return render(
        request,
        "feedback/followups/team.html",
        {
            "today": today,
            "teams": teams,
            "team": team,
            "overdue": Paginator(overdue, PER_PAGE).get_page(request.GET.get("page")),
            "escalations": Paginator(escalations, PER_PAGE).get_page(request.GET.get("epage")),
            "sections": sections,
        },
    )


@login_required
@require_POST
def follow_up_done(request, interaction_id: int):
    """Mark a follow-up done with one click (the agent's own, or one of a manager's people)."""
    _employee(request)
    interaction = get_object_or_404(
        selectors.interactions_writable_by(user=request.user), pk=interaction_id
    )
    try:
        services.follow_up_mark_done(interaction=interaction)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Follow-up with %(customer)s marked done.") % {"customer": interaction.customer},
        )
    return redirect_back(request, reverse("qa:my_follow_ups"))
