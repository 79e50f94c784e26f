"""Pages of calibration sessions: the list, a new session, a session, its references, closing.

Who may open a session is `calibration_sessions_visible_to`; which ratings show in it is the
blind rule of `QAReviewQuerySet.blind_to`, so the page, the review pages and the agent's page
read the same rule.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crs_site.http import query_text
from feedback import calibration_selectors as selectors
from feedback import calibration_services as services
from feedback.calibration_forms import CalibrationReferenceForm, CalibrationSessionForm
from feedback.qa_selectors import (
    calibration_candidates,
    calibration_candidates_matching,
    reviewers_available,
    today,
)
from feedback.qa_views import _language, _page, _query, _reviewer

# How many candidates the new-session form offers at once (the latest, or those found).
SHOWN_CANDIDATES = 50


def _visible_session(request, calibration_id: int):
    return get_object_or_404(
        selectors.calibration_sessions_visible_to(user=request.user, now=timezone.now()),
        pk=calibration_id,
    )


@login_required
@require_GET
def session_list(request):
    """List the calibration sessions the user leads or rates in, with their status."""
    _reviewer(request)
    now = timezone.now()
    page = _page(request, selectors.calibration_sessions_visible_to(user=request.user, now=now))
    for session in page:
        session.status = selectors.session_status(session, now=now)
    return render(
        request,
        "feedback/qa/calibration_sessions.html",
        {"page": page, "query": _query(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_new(request):
    """Create a session: interactions, reviewers and a deadline; each reviewer gets drafts."""
    lead = _reviewer(request)
    candidates = calibration_candidates(user=request.user, today=today())
    search = query_text(request)
    shown = (
        calibration_candidates_matching(
            user=request.user, today=today(), query=search, limit=SHOWN_CANDIDATES
        )
        if search
        else candidates[:SHOWN_CANDIDATES]
    )
    form = CalibrationSessionForm(
        request.POST or None,
        interactions=candidates,
        reviewers=reviewers_available(user=request.user),
        shown=shown,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.calibration_session_create(
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                interactions=form.cleaned_data["interactions"],
                reviewers=form.cleaned_data["reviewers"],
                actor=lead,
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(
                request, _("Session created. Each reviewer has the interactions in their queue.")
            )
            return redirect("qa:calibration_session", session.pk)
    return render(
        request,
        "feedback/qa/calibration_session_form.html",
        {"form": form, "q": search},
        status=400 if form.is_bound and form.errors else 200,
    )


def _session_page(request, employee, session, *, bound: dict | None = None, status: int = 200):
    view = selectors.calibration_session_view(
        session=session, employee=employee, now=timezone.now(), language=_language()
    )
    bound = bound or {}
    forms = {}
    if view.is_lead and view.status != selectors.SessionStatus.OPEN:
        forms = {
            spread.interaction.pk: bound.get(spread.interaction.pk)
            or CalibrationReferenceForm(spread=spread)
            for spread in view.spreads
        }
    sections = [
        {"spread": spread, "form": forms.get(spread.interaction.pk)} for spread in view.spreads
    ]
    return render(
        request,
        "feedback/qa/calibration_session.html",
        {"view": view, "sections": sections, "employee": employee},
        status=status,
    )


@login_required
@require_GET
def session_detail(request, calibration_id: int):
    """Show the progress and, once revealed, the spread per criterion and the references."""
    employee = _reviewer(request)
    return _session_page(request, employee, _visible_session(request, calibration_id))


@login_required
@require_POST
def session_reference(request, calibration_id: int, interaction_id: int):
    """Record the lead's reference ratings of one interaction of a revealed session."""
    employee = _reviewer(request)
    session = _visible_session(request, calibration_id)
    view = selectors.calibration_session_view(
        session=session, employee=employee, now=timezone.now(), language=_language()
    )
    spread = next((s for s in view.spreads if s.interaction.pk == interaction_id), None)
    if spread is None or not view.is_lead:
        messages.error(request, _("Only the session's lead sets reference ratings, once revealed."))
        return redirect("qa:calibration_session", session.pk)
    form = CalibrationReferenceForm(request.POST, spread=spread)
    if form.is_valid():
        try:
            services.calibration_reference_set(
                session=session,
                interaction=spread.interaction,
                references=form.references(),
                actor=employee,
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("Reference ratings saved."))
            return redirect("qa:calibration_session", session.pk)
    return _session_page(request, employee, session, bound={interaction_id: form}, status=400)


@login_required
@require_POST
def session_close(request, calibration_id: int):
    """Close a session: it is done, and its ratings are revealed to everyone in it."""
    employee = _reviewer(request)
    session = _visible_session(request, calibration_id)
    try:
        services.calibration_session_close(session=session, actor=employee)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Session closed."))
    return redirect("qa:calibration_session", session.pk)
