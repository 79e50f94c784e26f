"""Pages of the QA area: review queue and form, disputes, calibration, consistency.

The follow-up lists are in `follow_up_views.py`.

Views parse input, call one service or selector and render; who may see what is decided by the
selectors (`rows_visible_to` for reads, `employees_writable_by` for writes, underneath), so every
URL checks it the same way.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crs_site.http import query_text, redirect_back
from crs_site.lib.spreadsheet import Column, columns_download, export_format, with_unit
from feedback import qa_selectors as selectors
from feedback import qa_services as services
from feedback import sampling_selectors, sampling_services
from feedback.choices import ReviewStatus
from feedback.models import QAReview
from feedback.qa_forms import (
    CalibrationAssignForm,
    QADisputeForm,
    QAResolveForm,
    QAReviewForm,
    ReviewerQuotaForm,
    SamplingRulesForm,
)
from staff.choices import Role
from staff.models import Employee
from staff.selectors import employee_for_user, employees_writable_by, teams_visible_to

PER_PAGE = 25
SAMPLING_TEAMS_PER_PAGE = 10
CONSISTENCY_PERIODS = (30, 90, 180)


def _employee(request) -> Employee:
    employee = employee_for_user(user=request.user)
    if employee is None or not employee.is_active:
        raise PermissionDenied(_("Only employees have reviews and follow-ups."))
    return employee


def _reviewer(request) -> Employee:
    employee = _employee(request)
    if employee.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("Only managers review interactions."))
    return employee


def _page(request, items):
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _query(request, *, without: str = "page") -> str:
    """Return the request's query string without the page, for pagination links."""
    query = request.GET.copy()
    query.pop(without, None)
    return query.urlencode()


def _language() -> str:
    return translation.get_language() or "en"


# ---- downloads of the lists (the page's filters and the user's visibility applied) -----------


def _review_columns() -> list[Column]:
    return [
        Column(_("Interaction"), lambda review: review.interaction.subject),
        Column(_("Opened"), lambda review: review.interaction.opened_at),
        Column(_("Agent"), lambda review: review.interaction.employee.full_name),
        Column(_("Reviewer"), lambda review: review.reviewer.full_name),
        Column(_("Status"), lambda review: review.get_status_display()),
        Column(with_unit(_("Total"), "points"), lambda review: review.total),
        Column(_("Published"), lambda review: review.published_at),
        Column(_("Read by the agent"), lambda review: review.seen_at),
    ]


# ---- queue and lists -------------------------------------------------------------------------


@login_required
def queue(request):
    """Show the reviewer's drafts (weekly sample, calibration, started) and flagged interactions."""
    reviewer = _reviewer(request)
    search = query_text(request)
    to_do = selectors.review_queue(reviewer=reviewer, search=search)
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="reviews-to-do",
            title=_("Reviews to do"),
            columns=[
                Column(_("Interaction"), lambda review: review.interaction.subject),
                Column(_("Customer"), lambda review: review.interaction.customer.display_name),
                Column(_("Channel"), lambda review: review.interaction.get_channel_display()),
                Column(_("Agent"), lambda review: review.interaction.employee.full_name),
                Column(_("Resolved"), lambda review: review.interaction.resolved_at),
                Column(_("Why"), lambda review: review.get_reason_display()),
                Column(with_unit(_("Draft total"), "points"), lambda review: review.total),
            ],
            items=to_do,
        )
    drafts = _page(request, to_do)
    flagged = selectors.flagged_to_review(user=request.user, reviewer=reviewer)[:PER_PAGE]
    disputes = selectors.review_list(user=request.user, status=ReviewStatus.DISPUTED)
    unread = selectors.review_list(user=request.user, seen="no").exclude(
        interaction__employee=reviewer
    )
    return render(
        request,
        "feedback/qa/queue.html",
        {
            "page": drafts,
            "flagged": flagged,
            # Someone other than the author decides a dispute.
            "disputes": disputes.exclude(interaction__employee=reviewer).exclude(reviewer=reviewer)[
                :PER_PAGE
            ],
            "unread_count": unread.count(),
            "progress": sampling_selectors.reviewer_week_progress(
                reviewer=reviewer, today=selectors.today()
            ),
            "q": search,
            "query": _query(request),
        },
    )


@login_required
def review_list(request):
    """List the reviews the user may read, with status filter, search, sorting and pages."""
    employee = _employee(request)
    status = request.GET.get("status", "")
    seen = request.GET.get("seen", "")
    search = query_text(request)
    sort = request.GET.get("sort", "-created")
    if sort not in selectors.REVIEW_SORTS:
        sort = "-created"
    reviews = selectors.review_list(
        user=request.user, status=status, search=search, sort=sort, seen=seen
    )
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="qa-reviews",
            title=pgettext("heading", "QA reviews"),
            columns=_review_columns(),
            items=reviews,
        )
    return render(
        request,
        "feedback/qa/review_list.html",
        {
            "page": _page(request, reviews),
            "query": _query(request),
            "status": status,
            "statuses": ReviewStatus.choices,
            "seen": seen,
            "q": search,
            "sort": sort,
            "is_reviewer": employee.role in (Role.MANAGER, Role.ADMIN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sampling(request):
    """Switch the sampling rules of the user's teams and set their reviewers' weekly quotas."""
    actor = _reviewer(request)
    teams = Paginator(
        teams_visible_to(user=request.user).order_by("name", "pk"), SAMPLING_TEAMS_PER_PAGE
    ).get_page(request.GET.get("page"))
    rules = sampling_selectors.sampling_rules_for_teams(teams=teams.object_list)
    rule_forms = {
        team.pk: SamplingRulesForm(rules=rules[team.pk], prefix=f"team-{team.pk}") for team in teams
    }
    reviewers = list(sampling_selectors.quota_reviewers_editable(user=request.user))
    quota_form = ReviewerQuotaForm(reviewers=reviewers, prefix="quotas")
    if request.method == "POST":
        if request.POST.get("form") == "quotas":
            quota_form = ReviewerQuotaForm(request.POST, reviewers=reviewers, prefix="quotas")
            if quota_form.is_valid():
                try:
                    sampling_services.reviewer_quotas_set(actor=actor, quotas=quota_form.quotas())
                except ValidationError as error:
                    quota_form.add_service_errors(error.message_dict)
                else:
                    messages.success(request, _("Review quotas saved."))
                    return redirect(request.get_full_path())
        else:
            # Only a team of this page can be posted: others are not the user's, or not shown.
            team = next(
                (team for team in teams if str(team.pk) == request.POST.get("team", "")), None
            )
            if team is None:
                raise Http404
            form = SamplingRulesForm(request.POST, rules=rules[team.pk], prefix=f"team-{team.pk}")
            rule_forms[team.pk] = form
            if form.is_valid():
                try:
                    sampling_services.sampling_rules_set(
                        team=team, actor=actor, settings=form.settings()
                    )
                except ValidationError as error:
                    form.add_service_errors(error.message_dict)
                else:
                    messages.success(
                        request, _("Sampling rules of %(team)s saved.") % {"team": team.name}
                    )
                    return redirect(request.get_full_path())
    progress = sampling_selectors.reviewers_week_progress(
        reviewers=reviewers, today=selectors.today()
    )
    return render(
        request,
        "feedback/qa/sampling.html",
        {
            "page": teams,
            "query": _query(request),
            "team_forms": [(team, rule_forms[team.pk]) for team in teams],
            "quota_form": quota_form,
            "quota_rows": [
                (reviewer, quota_form[quota_form.field_name(reviewer.pk)], progress[reviewer.pk])
                for reviewer in reviewers
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


# ---- one review ------------------------------------------------------------------------------


def _visible_review(request, review_id: int) -> QAReview:
    review = selectors.review_detail(user=request.user, review_id=review_id)
    if review is None:
        raise Http404
    return review


def _can_resolve(request, employee: Employee, review: QAReview) -> bool:
    return (
        review.status == ReviewStatus.DISPUTED
        and employee.is_manager
        and review.reviewer_id != employee.pk
        and employees_writable_by(user=request.user)
        .filter(pk=review.interaction.employee_id)
        .exists()
    )


@login_required
def review_detail(request, review_id: int):
    """Show a review's ratings, comments and history; the agent may dispute it from here."""
    employee = _employee(request)
    review = _visible_review(request, review_id)
    if review.status == ReviewStatus.DRAFT and review.reviewer_id == employee.pk:
        return redirect("qa:review_edit", review.pk)
    deadline = services.qa_dispute_deadline(review=review)
    can_dispute = (
        review.status == ReviewStatus.PUBLISHED
        and review.disputed_at is None
        and review.interaction.employee_id == employee.pk
        and (deadline is None or timezone.now() <= deadline)
    )
    form = QADisputeForm(review=review, language=_language()) if can_dispute else None
    return render(
        request,
        "feedback/qa/review_detail.html",
        _detail_context(request, employee, review, dispute_form=form),
    )


def _detail_context(request, employee: Employee, review: QAReview, *, dispute_form) -> dict:
    language = _language()
    given = {rating.criterion_id: rating for rating in review.ratings.all()}
    criteria = list(review.version.qa_criteria.all())
    rows = [
        {
            "criterion": criterion,
            "label": criterion.localized("label", language),
            "description": criterion.localized("description", language),
            "is_critical": criterion.is_critical,
            "weight": criterion.weight,
            "rating": given.get(criterion.pk),
        }
        for criterion in criteria
    ]
    dispute_items = list(review.dispute_items.select_related("criterion"))
    for item in dispute_items:
        # The criterion's name in the reader's language, as in the rows above.
        item.label = item.criterion.localized("label", language)
    return {
        "review": review,
        "rows": rows,
        "sections": selectors.criteria_sections(
            criteria=criteria,
            rows=rows,
            ratings={pk: rating.rating for pk, rating in given.items()},
            language=language,
        ),
        "dispute_items": dispute_items,
        "dispute_deadline": services.qa_dispute_deadline(review=review),
        "events": list(review.events.all()),
        "can_dispute": dispute_form is not None,
        "dispute_form": dispute_form,
        "dispute_sections": []
        if dispute_form is None
        else selectors.criteria_sections(
            criteria=dispute_form.criteria, rows=dispute_form.rows, ratings={}, language=language
        ),
        "can_resolve": _can_resolve(request, employee, review),
        "can_mark_seen": review.seen_at is None
        and review.status != ReviewStatus.DRAFT
        and review.interaction.employee_id == employee.pk,
        "can_coach": review.status != ReviewStatus.DRAFT
        and employee.is_manager
        and review.interaction.employee_id != employee.pk
        and employees_writable_by(user=request.user)
        .filter(pk=review.interaction.employee_id)
        .exists(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, review_id: int):
    """Rate a draft: save it to finish later, or publish it to the agent."""
    employee = _employee(request)
    review = _visible_review(request, review_id)
    if (
        review.reviewer_id != employee.pk
        or not selectors.interactions_writable_by(user=request.user)
        .filter(pk=review.interaction_id)
        .exists()
    ):
        # A draft about someone who has left the reviewer's teams can no longer be published.
        raise Http404
    if review.status != ReviewStatus.DRAFT:
        messages.info(request, _("This review is published; it can no longer be edited."))
        return redirect("qa:review_detail", review.pk)
    language = _language()
    form = QAReviewForm(request.POST or None, review=review, language=language)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            if publish:
                services.qa_review_save_and_publish(
                    review=review,
                    actor=employee,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
            else:
                services.qa_review_save(
                    review=review,
                    actor=employee,
                    ratings=form.ratings(),
                    comment=form.cleaned_data["comment"],
                )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            if publish:
                if review.calibration_session_id is not None:
                    messages.success(request, _("Rating published to the calibration session."))
                    return redirect("qa:calibration_session", review.calibration_session_id)
                messages.success(request, _("Review published. The agent has been notified."))
                return redirect("qa:queue")
            messages.success(request, _("Draft saved."))
            return redirect("qa:review_edit", review.pk)
    return render(
        request,
        "feedback/qa/review_form.html",
        {
            "review": review,
            "form": form,
            "sections": selectors.criteria_sections(
                criteria=form.criteria,
                rows=form.rows(language),
                ratings={rating.criterion_id: rating.rating for rating in review.ratings.all()},
                language=language,
            ),
            "criteria_data": [
                {
                    "id": criterion.pk,
                    "weight": str(criterion.weight),
                    "critical": criterion.is_critical,
                    "section": None
                    if criterion.section is None
                    else {
                        "code": criterion.section.code,
                        "weight": str(criterion.section.weight),
                        "auto_fail": criterion.section.auto_fail,
                    },
                }
                for criterion in form.criteria
            ],
        },
    )


@login_required
@require_POST
def review_dispute(request, review_id: int):
    """Record the agent's dispute of a published review (once, with a reason)."""
    employee = _employee(request)
    review = _visible_review(request, review_id)
    form = QADisputeForm(request.POST, review=review, language=_language())
    if form.is_valid():
        try:
            services.qa_review_dispute(
                review=review,
                agent=employee,
                proposals=form.proposals(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(
                request, _("Your dispute has been sent. A manager will decide and explain why.")
            )
            return redirect("qa:review_detail", review.pk)
    return render(
        request,
        "feedback/qa/review_detail.html",
        _detail_context(request, employee, review, dispute_form=form),
        status=400,
    )


@login_required
@require_POST
def review_seen(request, review_id: int):
    """The reviewed agent marks a published review read."""
    employee = _employee(request)
    review = _visible_review(request, review_id)
    if review.interaction.employee_id != employee.pk or review.status == ReviewStatus.DRAFT:
        raise Http404
    services.qa_review_mark_seen(review=review, agent=employee)
    messages.success(request, _("Marked as read. Your manager can see that you have read it."))
    return redirect("qa:review_detail", review.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_resolve(request, review_id: int):
    """Let a manager of the agent uphold a disputed review or adjust its ratings, with a note."""
    employee = _reviewer(request)
    review = _visible_review(request, review_id)
    if not _can_resolve(request, employee, review):
        raise Http404
    language = _language()
    form = QAResolveForm(request.POST or None, review=review, language=language)
    if request.method == "POST" and form.is_valid():
        try:
            services.qa_review_resolve(
                review=review,
                manager=employee,
                decisions=form.decisions(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(request, _("Dispute resolved. The agent has been notified."))
            return redirect("qa:review_detail", review.pk)
    return render(
        request,
        "feedback/qa/review_resolve.html",
        {
            "review": review,
            "form": form,
            "sections": selectors.criteria_sections(
                criteria=form.criteria, rows=form.rows, ratings={}, language=language
            ),
            "events": list(review.events.all()),
        },
    )


# ---- interactions: flag, start a review ------------------------------------------------------


@login_required
@require_POST
def interaction_flag(request, interaction_id: int):
    """Flag one of the user's (or their people's) interactions for a QA review."""
    _employee(request)
    interaction = get_object_or_404(
        selectors.interactions_writable_by(user=request.user), pk=interaction_id
    )
    services.interaction_flag_for_review(interaction=interaction)
    messages.success(request, _("Flagged for review. A manager will review it."))
    return redirect_back(request, reverse("qa:my_reviews"))


@login_required
@require_POST
def interaction_review_start(request, interaction_id: int):
    """Open (or create) the reviewer's draft of a visible interaction and go to its form."""
    reviewer = _reviewer(request)
    interaction = get_object_or_404(
        selectors.interactions_writable_by(user=request.user), pk=interaction_id
    )
    try:
        review = services.qa_review_start(interaction=interaction, reviewer=reviewer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("qa:queue")
    return redirect("qa:review_edit", review.pk)


# ---- calibration and consistency -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calibration_list(request):
    """List calibrated interactions; assign a new one to several reviewers."""
    reviewer = _reviewer(request)
    calibrated = selectors.calibration_interactions(user=request.user)
    if request.method == "GET" and (file_format := export_format(request)):
        return columns_download(
            file_format=file_format,
            name="calibrated-interactions",
            title=_("Calibrated interactions"),
            columns=[
                Column(_("Interaction"), lambda interaction: interaction.subject),
                Column(_("Opened"), lambda interaction: interaction.opened_at),
                Column(_("Agent"), lambda interaction: interaction.employee.full_name),
                Column(
                    with_unit(_("Reviews"), "reviews"), lambda interaction: interaction.review_count
                ),
            ],
            items=calibrated,
        )
    interactions = selectors.calibration_candidates(user=request.user, today=selectors.today())
    reviewers = selectors.reviewers_available(user=request.user)
    matches = selectors.calibration_candidates_matching(
        user=request.user,
        today=selectors.today(),
        query=request.POST.get("interaction_query", "")[:100],
    )
    form = CalibrationAssignForm(
        request.POST or None, interactions=interactions, reviewers=reviewers, matches=matches
    )
    if request.method == "POST" and "find" in request.POST:
        # The Find button (the search without JavaScript) only looks interactions up.
        form = CalibrationAssignForm(
            initial={
                "interaction_query": request.POST.get("interaction_query", ""),
                "interaction": request.POST.get("interaction")
                or (matches[0].pk if matches else None),
                "reviewers": request.POST.getlist("reviewers"),
            },
            interactions=interactions,
            reviewers=reviewers,
            matches=matches,
        )
        form.searched = True
    elif request.method == "POST" and form.is_valid():
        interaction = form.cleaned_data["interaction"]
        try:
            services.qa_calibration_assign(
                interaction=interaction,
                reviewers=form.cleaned_data["reviewers"],
                actor=reviewer,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request, _("The interaction is in each reviewer's queue for calibration.")
            )
            return redirect("qa:calibration_detail", interaction.pk)
    return render(
        request,
        "feedback/qa/calibration_list.html",
        {
            "page": _page(request, calibrated),
            "query": _query(request),
            "form": form,
        },
    )


@login_required
@require_GET
def calibration_search(request):
    """Return the interaction picker filled with the candidates matching the search (htmx)."""
    _reviewer(request)
    interactions = selectors.calibration_candidates(user=request.user, today=selectors.today())
    matches = selectors.calibration_candidates_matching(
        user=request.user, today=selectors.today(), query=query_text(request, "interaction_query")
    )
    form = CalibrationAssignForm(
        initial={"interaction": matches[0].pk} if matches else {},
        interactions=interactions,
        reviewers=selectors.reviewers_available(user=request.user),
        matches=matches,
    )
    form.searched = True
    return render(request, "feedback/qa/_interaction_field.html", {"form": form})


@login_required
def calibration_detail(request, interaction_id: int):
    """Show every reviewer's ratings of one interaction side by side, with the spread."""
    reviewer = _reviewer(request)
    interaction = get_object_or_404(
        selectors.interactions_visible_to(user=request.user).select_related(
            "employee__user", "customer"
        ),
        pk=interaction_id,
    )
    comparison = selectors.calibration_comparison(
        interaction=interaction, language=_language(), viewer=reviewer
    )
    return render(request, "feedback/qa/calibration_detail.html", {"comparison": comparison})


@login_required
def consistency(request):
    """Show each reviewer's mean total against their team's, so harsh or lenient ones stand out."""
    _reviewer(request)
    try:
        days = int(request.GET.get("days", 90))
    except ValueError:
        days = 90
    if days not in CONSISTENCY_PERIODS:
        days = 90
    date_to = selectors.today()
    date_from = date_to - dt.timedelta(days=days - 1)
    teams = teams_visible_to(user=request.user).order_by("name")
    slug = query_text(request, "team")
    if slug:
        teams = teams.filter(slug=slug)
    reports = [
        selectors.reviewer_consistency(team=team, date_from=date_from, date_to=date_to)
        for team in teams
    ]
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name=f"reviewer-consistency-{date_from.isoformat()}-{date_to.isoformat()}",
            dated=False,
            title=_("Reviewer consistency"),
            columns=[
                Column(_("Team"), lambda pair: pair[0].team.name),
                Column(_("Reviewer"), lambda pair: pair[1].reviewer.full_name),
                Column(with_unit(_("Reviews"), "reviews"), lambda pair: pair[1].count),
                Column(with_unit(_("Mean total"), "points"), lambda pair: pair[1].mean),
                Column(with_unit(_("Team mean"), "points"), lambda pair: pair[0].mean),
                Column(with_unit(_("vs team"), "points"), lambda pair: pair[1].difference),
            ],
            items=[(report, row) for report in reports for row in report.reviewers],
        )
    return render(
        request,
        "feedback/qa/consistency.html",
        {
            "reports": reports,
            "days": days,
            "periods": CONSISTENCY_PERIODS,
            "date_from": date_from,
            "date_to": date_to,
            "team_slug": slug,
            "all_teams": teams_visible_to(user=request.user).order_by("name"),
        },
    )
