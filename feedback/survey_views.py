"""Customer surveys: the public page a survey link opens, and the staff's survey comments.

The public pages need no account: the signed, single-use token in the link is the customer's
only credential. They are rate-limited per address, keep CSRF protection, and speak the
customer's language whatever the browser or a signed-in employee would choose.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from crs_site.lib.spreadsheet import Column, columns_download, export_format
from feedback.forms import CSAT_FACES, SurveyCommentFilterForm, SurveyForm
from feedback.models import SurveyInvitation
from feedback.services import survey_opt_out as survey_opt_out_service
from feedback.services import survey_response_submit
from feedback.survey_selectors import (
    SurveyAlreadyAnswered,
    SurveyLinkExpired,
    SurveyLinkInvalid,
    survey_comments,
    survey_invitation_check_open,
    survey_invitation_for_token,
)
from staff.choices import Role
from staff.selectors import employees_visible_to, is_admin, role_for_user

RATE_GROUP = "feedback.survey"
COMMENTS_PER_PAGE = 25

# What each kind of unusable link tells the customer, and the status it answers with.
_PROBLEMS = {
    "invalid": 404,
    "expired": 410,
    "used": 409,
    "limited": 429,
}


def _rate(group, request) -> str:
    # Enough for a customer who reloads, changes their mind and opts out; far too few to
    # try tokens or flood the table.
    return getattr(settings, "SURVEY_RATE_LIMIT", "30/m")


def _client_address(group, request) -> str:
    """Return the caller's address: the one the trusted proxy saw, else the socket's.

    Behind the production proxy every request comes from the proxy's address, which would make
    one limit for all customers. Addresses to the left of those the trusted proxies appended
    are the client's own claims and are ignored. IPv6 callers are counted per /64 network, as
    one machine usually holds a whole one.
    """
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    address = (
        forwarded[-proxies]
        if proxies and len(forwarded) >= proxies
        else request.META.get("REMOTE_ADDR", "")
    )
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _public(view):
    """Open the view to anyone, uncached, counted against the caller's address."""
    limited = ratelimit(group=RATE_GROUP, key=_client_address, rate=_rate, block=False)(view)
    return login_not_required(never_cache(limited))


def _language(request, invitation: SurveyInvitation | None) -> str:
    """Return the language to answer in: the one the customer picked here, else theirs."""
    available = {code for code, _name in settings.LANGUAGES}
    picked = request.GET.get("lang", "")
    if picked in available:
        return picked
    if invitation is not None and invitation.language in available:
        return invitation.language
    return translation.get_language() or settings.LANGUAGE_CODE


def _render(request, template, context, *, language, status=200):
    with translation.override(language):
        response = render(
            request,
            template,
            {
                **context,
                "LANGUAGE_CODE": language,
                "languages": settings.LANGUAGES,
                "organisation": settings.CRS_ORGANISATION_NAME,
            },
            status=status,
        )
    # The locale middleware would otherwise label the page with the browser's language.
    response.headers["Content-Language"] = language
    return response


def _problem(request, kind: str, *, token: str = "", invitation: SurveyInvitation | None = None):
    return _render(
        request,
        "feedback/survey/problem.html",
        {"problem": kind, "token": token if invitation else "", "invitation": invitation},
        language=_language(request, invitation),
        status=_PROBLEMS[kind],
    )


def _open_invitation(request, token: str):
    """Return (invitation, None) for a link that can be answered, else (None, problem page)."""
    if getattr(request, "limited", False):
        return None, _problem(request, "limited")
    try:
        invitation = survey_invitation_for_token(token=token)
    except SurveyLinkInvalid:
        return None, _problem(request, "invalid")
    try:
        survey_invitation_check_open(invitation=invitation, now=timezone.now())
    except SurveyAlreadyAnswered:
        return None, _problem(request, "used", token=token, invitation=invitation)
    except SurveyLinkExpired:
        return None, _problem(request, "expired", token=token, invitation=invitation)
    return invitation, None


def _query(request) -> str:
    lang = request.GET.get("lang", "")
    return f"?lang={lang}" if lang in {code for code, _name in settings.LANGUAGES} else ""


@_public
@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    """Show the survey, or store the answer and thank the customer."""
    invitation, problem = _open_invitation(request, token)
    if problem is not None:
        return problem
    language = _language(request, invitation)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        with translation.override(language):
            if form.is_valid():
                try:
                    survey_response_submit(
                        invitation=invitation,
                        csat=form.cleaned_data["csat"],
                        nps=form.cleaned_data["nps"],
                        comment=form.cleaned_data["comment"],
                        language=language,
                    )
                except SurveyAlreadyAnswered:
                    return _problem(request, "used", token=token, invitation=invitation)
                except SurveyLinkExpired:
                    return _problem(request, "expired", token=token, invitation=invitation)
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    return redirect(reverse("surveys:thanks", args=[token]) + _query(request))
    return _render(
        request,
        "feedback/survey/form.html",
        {"form": form, "token": token, "invitation": invitation},
        language=language,
    )


@_public
@require_GET
def survey_thanks(request, token: str):
    """Thank the customer for an answered survey."""
    if getattr(request, "limited", False):
        return _problem(request, "limited")
    try:
        invitation = survey_invitation_for_token(token=token)
    except SurveyLinkInvalid:
        return _problem(request, "invalid")
    if invitation.used_at is None:
        return redirect(reverse("surveys:survey", args=[token]) + _query(request))
    return _render(
        request,
        "feedback/survey/thanks.html",
        {"token": token, "invitation": invitation},
        language=_language(request, invitation),
    )


@_public
@require_http_methods(["GET", "POST"])
def survey_opt_out(request, token: str):
    """Ask the customer to confirm, then stop every future survey to them.

    Works for expired and answered links too: opting out must always be possible from any
    e-mail we sent.
    """
    if getattr(request, "limited", False):
        return _problem(request, "limited")
    try:
        invitation = survey_invitation_for_token(token=token)
    except SurveyLinkInvalid:
        return _problem(request, "invalid")
    done = False
    if request.method == "POST":
        survey_opt_out_service(invitation=invitation)
        done = True
    return _render(
        request,
        "feedback/survey/opt_out.html",
        {"token": token, "invitation": invitation, "done": done},
        language=_language(request, invitation),
    )


def _comment_columns(*, shows_people: bool) -> list[Column]:
    agent = [Column(_("Agent"), lambda response: response.interaction.employee.full_name)]
    return [
        Column(_("Answered"), lambda response: response.submitted_at),
        Column(_("Satisfaction (1–5)"), lambda response: response.csat),
        Column(_("Would recommend (0–10)"), lambda response: response.nps),
        Column(_("Comment"), lambda response: response.comment),
        Column(_("Customer"), lambda response: response.interaction.customer.display_name),
        Column(_("Interaction"), lambda response: response.interaction.subject),
        Column(_("Channel"), lambda response: response.interaction.get_channel_display()),
        *(agent if shows_people else []),
    ]


@login_required
@require_GET
def survey_comment_list(request):
    """List the survey answers about the user's own work (agents) or their teams' (managers)."""
    if not is_admin(user=request.user) and role_for_user(user=request.user) not in (
        Role.AGENT,
        Role.MANAGER,
    ):
        raise PermissionDenied(_("Survey comments are for agents, managers and administrators."))
    employees = employees_visible_to(user=request.user).select_related("user")
    form = SurveyCommentFilterForm(request.GET or None, employees=employees)
    filters = form.filters() if form.is_bound else {}
    responses = survey_comments(user=request.user, **filters)
    shows_people = role_for_user(user=request.user) != Role.AGENT
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="survey-comments",
            title=_("Survey comments"),
            columns=_comment_columns(shows_people=shows_people),
            items=responses,
        )
    page = Paginator(responses, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/survey_comments/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "mouths": {value: mouth for value, mouth, _label in CSAT_FACES},
            "shows_people": shows_people,
        },
    )
