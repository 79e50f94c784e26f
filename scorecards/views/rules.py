"""Pages of this area: the scorecard rules and their acknowledgement, the onboarding list, and
the scorecard editor (drafts, a preview against the version in force, publishing)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crs_site.lib.spreadsheet import Column, columns_download, export_format
from scorecards.engine.simulate import scores_simulate
from scorecards.forms import (
    MetricFormSet,
    OnboardingFilterForm,
    OnboardingReminderForm,
    QACriterionFormSet,
    QASectionFormSet,
    RuleAcknowledgeForm,
    ScorecardVersionDraftForm,
    VersionPublishForm,
    qa_section_choices,
    qa_sections_errors_show,
)
from scorecards.models import Scorecard, ScorecardVersion
from scorecards.selectors.onboarding import NEW_HIRE_DAYS, onboarding_allowed, onboarding_employees
from scorecards.selectors.rules import (
    editor_versions,
    rules_index,
    scorecard_editors_allowed,
    scorecard_rules,
    scorecards_visible_to,
    simulation_rows,
    version_translations,
)
from scorecards.selectors.versions import version_in_force, version_rescored_days
from scorecards.services.onboarding import onboarding_reminders_queue
from scorecards.services.rules import rule_acknowledge
from scorecards.services.versions import (
    scorecard_version_draft_start,
    scorecard_version_draft_update,
    scorecard_version_publish,
)
from staff.selectors import employee_for_user

ONBOARDING_PER_PAGE = 25
PREVIEW_DAYS = 30


# ---- rules ---------------------------------------------------------------------------------


@login_required
@require_GET
def rules_list(request):
    """List the scorecards the user may read, with the version in force and whether it is read."""
    scorecards = rules_index(user=request.user, day=timezone.localdate())
    return render(
        request,
        "scorecards/rules_list.html",
        {
            "scorecards": scorecards,
            "can_edit": scorecard_editors_allowed(user=request.user),
            "can_acknowledge": employee_for_user(user=request.user) is not None,
        },
    )


@login_required
@require_GET
def rules_detail(request, slug: str):
    """Show the rules in force, printable, in the reader's language, with their history."""
    today = timezone.localdate()
    scorecard = get_object_or_404(scorecards_visible_to(user=request.user, day=today), slug=slug)
    employee = employee_for_user(user=request.user)
    rules = scorecard_rules(
        scorecard=scorecard, employee=employee, day=today, language=translation.get_language()
    )
    form = None
    if employee is not None and rules.version is not None:
        form = RuleAcknowledgeForm(initial={"version": rules.version.pk})
    return render(
        request,
        "scorecards/rules_detail.html",
        {
            "rules": rules,
            "acknowledge_form": form,
            "can_edit": scorecard_editors_allowed(user=request.user),
        },
    )


@login_required
@require_POST
def rules_acknowledge(request, slug: str):
    """Acknowledge the version in force, if it is still the one the reader saw."""
    today = timezone.localdate()
    scorecard = get_object_or_404(scorecards_visible_to(user=request.user, day=today), slug=slug)
    employee = employee_for_user(user=request.user)
    if employee is None:
        raise PermissionDenied(_("Only employees acknowledge rules."))
    version = version_in_force(scorecard=scorecard, day=today)
    if version is None:
        raise Http404(_("This scorecard has no rules in force yet."))
    form = RuleAcknowledgeForm(request.POST)
    if form.is_valid() and form.cleaned_data["version"] == version.pk:
        rule_acknowledge(employee=employee, version=version)
        messages.success(
            request,
            _("Thank you: you have acknowledged version %(number)s of %(scorecard)s.")
            % {"number": version.number, "scorecard": scorecard.name},
        )
    else:
        messages.warning(
            request,
            _(
                "The rules changed while you were reading. Please read the version in force "
                "below, then acknowledge it."
            ),
        )
    return redirect("scorecards:rules_detail", slug=scorecard.slug)


# ---- onboarding ----------------------------------------------------------------------------


def _require_onboarding(request) -> None:
    if not onboarding_allowed(user=request.user):
        raise PermissionDenied(_("The onboarding list is for onboarding staff and managers."))


def _onboarding_columns() -> list[Column]:
    return [
        Column(_("Name"), lambda person: person.full_name),
        Column(_("New hire"), lambda person: person.is_new_hire),
        Column(_("Hired"), lambda person: person.hire_date),
        Column(_("Team"), lambda person: person.team_name or ""),
        Column(_("Scorecard"), lambda person: person.scorecard_name or ""),
        Column(_("Rules version"), lambda person: person.version_number),
        Column(_("Acknowledged"), lambda person: person.acknowledged_at),
        Column(_("Last reminder"), lambda person: person.rules_reminded_at),
    ]


@login_required
@require_GET
def onboarding(request):
    """List new hires and everyone yet to acknowledge the rules in force, with reminders."""
    _require_onboarding(request)
    today = timezone.localdate()
    filter_form = OnboardingFilterForm(request.GET or None)
    filters = filter_form.cleaned_or_default()
    employees = onboarding_employees(
        user=request.user, day=today, show=filters["show"], ordering=filters["sort"]
    )
    if file_format := export_format(request):
        return columns_download(
            file_format=file_format,
            name="onboarding",
            title=_("Onboarding"),
            columns=_onboarding_columns(),
            items=employees,
        )
    page = Paginator(employees, ONBOARDING_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "scorecards/onboarding.html",
        {
            "page": page,
            "filter_form": filter_form,
            "filters": filters,
            "pending_count": employees.filter(is_pending=True).count(),
            "new_hire_days": NEW_HIRE_DAYS,
        },
    )


@login_required
@require_POST
def onboarding_remind(request):
    """E-mail a reminder to one person on the list, or to everyone listed who has not read."""
    _require_onboarding(request)
    today = timezone.localdate()
    form = OnboardingReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reminder could not be sent: reload the page and retry."))
        return redirect("scorecards:onboarding")
    show = form.cleaned_data["show"] or "all"
    employee_id = form.cleaned_data["employee"]
    listed = onboarding_employees(
        user=request.user,
        day=today,
        show=show,
        employee_ids=None if employee_id is None else [employee_id],
    )
    if employee_id is not None and not listed.exists():
        raise Http404(_("This person is not on your onboarding list."))
    pending = list(listed.filter(is_pending=True))
    result = onboarding_reminders_queue(
        employees=pending, requested_by=request.user, site_url=request.build_absolute_uri("/")
    )
    if result.queued:
        messages.success(
            request,
            ngettext(
                "%(count)d reminder is on its way.",
                "%(count)d reminders are on their way.",
                result.queued,
            )
            % {"count": result.queued},
        )
    if result.reminded_today:
        messages.info(
            request,
            ngettext(
                "%(count)d person was already reminded today and gets no second reminder.",
                "%(count)d people were already reminded today and get no second reminder.",
                result.reminded_today,
            )
            % {"count": result.reminded_today},
        )
    if result.without_address:
        messages.warning(
            request,
            ngettext(
                "%(count)d person has no e-mail address and got no reminder.",
                "%(count)d people have no e-mail address and got no reminder.",
                result.without_address,
            )
            % {"count": result.without_address},
        )
    if not pending:
        messages.info(request, _("Nobody listed is waiting to acknowledge the rules."))
    return redirect(f"{reverse('scorecards:onboarding')}?show={show}")


# ---- scorecard editor ----------------------------------------------------------------------


def _editable_scorecard(request, slug: str) -> Scorecard:
    if not scorecard_editors_allowed(user=request.user):
        raise PermissionDenied(_("Only administrators and permitted managers edit scorecards."))
    return get_object_or_404(Scorecard, slug=slug)


def _version_of(scorecard: Scorecard, number: int) -> ScorecardVersion:
    return get_object_or_404(
        ScorecardVersion.objects.select_related("scorecard"), scorecard=scorecard, number=number
    )


@login_required
@require_GET
def editor_version_list(request, slug: str):
    """List a scorecard's versions, with the way to start a new draft."""
    scorecard = _editable_scorecard(request, slug)
    return render(
        request,
        "scorecards/editor_versions.html",
        {
            "scorecard": scorecard,
            "versions": editor_versions(scorecard=scorecard, day=timezone.localdate()),
        },
    )


@login_required
@require_POST
def editor_draft_new(request, slug: str):
    """Start a new draft from the version in force and open it."""
    scorecard = _editable_scorecard(request, slug)
    draft = scorecard_version_draft_start(scorecard=scorecard, day=timezone.localdate())
    messages.success(
        request,
        _("Draft version %(number)s started: change what you need, preview it, then publish.")
        % {"number": draft.number},
    )
    return redirect("scorecards:editor_version", slug=scorecard.slug, number=draft.number)


def _draft_forms(version: ScorecardVersion, data=None):
    # A post without the sections part (a client older than sections) keeps them as they are.
    sections_data = data if data is None or "sections-TOTAL_FORMS" in data else None
    section_choices = qa_section_choices(version=version, data=sections_data, prefix="sections")
    return (
        ScorecardVersionDraftForm(data, instance=version, prefix="version"),
        MetricFormSet(data, queryset=version.metrics.all(), prefix="metrics"),
        QASectionFormSet(sections_data, queryset=version.qa_sections.all(), prefix="sections"),
        QACriterionFormSet(
            data,
            queryset=version.qa_criteria.select_related("section"),
            prefix="criteria",
            form_kwargs={"section_choices": section_choices},
        ),
    )


def _render_version(request, version: ScorecardVersion, *, forms=None, publish_form=None):
    today = timezone.localdate()
    context = {"scorecard": version.scorecard, "version": version}
    if version.is_published:
        metrics = list(version.metrics.all())
        sections = list(version.qa_sections.all())
        criteria = list(version.qa_criteria.select_related("section"))
        context.update(
            metrics=metrics,
            sections=sections,
            criteria=criteria,
            is_in_force=version == version_in_force(scorecard=version.scorecard, day=today),
            translations=version_translations(
                version=version, metrics=metrics, sections=sections, criteria=criteria
            ),
        )
    else:
        version_form, metric_formset, section_formset, criterion_formset = forms or _draft_forms(
            version
        )
        context.update(
            version_form=version_form,
            metric_formset=metric_formset,
            section_formset=section_formset,
            criterion_formset=criterion_formset,
            publish_form=publish_form
            or VersionPublishForm(
                initial={"effective_from": max(version.effective_from, today)}, today=today
            ),
        )
    return render(request, "scorecards/editor_version.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def editor_version(request, slug: str, number: int):
    """Edit a draft's settings, metrics and QA criteria; a published version is read-only."""
    version = _version_of(_editable_scorecard(request, slug), number)
    if request.method != "POST":
        return _render_version(request, version)
    if version.is_published:
        messages.error(request, _("A published version cannot be changed: start a new draft."))
        return _render_version(request, version)
    forms = _draft_forms(version, request.POST)
    version_form, metric_formset, section_formset, criterion_formset = forms
    posted = [form for form in forms if form.is_bound]
    if all(form.is_valid() for form in posted) and qa_sections_errors_show(
        section_formset=section_formset, criterion_formset=criterion_formset
    ):
        try:
            scorecard_version_draft_update(
                version=version,
                settings=version_form.cleaned_data,
                metrics=metric_formset.kept_rows(),
                sections=section_formset.kept_rows() if section_formset.is_bound else None,
                criteria=criterion_formset.kept_rows(),
            )
        except ValidationError as error:
            version_form.add_error(None, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("scorecards:editor_version", slug=slug, number=number)
    # The page lists every error with a link to its field (templates/_form_errors.html).
    return _render_version(request, version, forms=forms)


@login_required
@require_GET
def editor_preview(request, slug: str, number: int):
    """Score the version over the last 30 days next to the version in force, per team and person."""
    scorecard = _editable_scorecard(request, slug)
    version = get_object_or_404(
        ScorecardVersion.objects.select_related("scorecard").prefetch_related("metrics"),
        scorecard=scorecard,
        number=number,
    )
    date_to = timezone.localdate() - dt.timedelta(days=1)
    result = scores_simulate(
        version=version, date_from=date_to - dt.timedelta(days=PREVIEW_DAYS - 1), date_to=date_to
    )
    team_rows, employee_rows = simulation_rows(result=result, user=request.user)
    return render(
        request,
        "scorecards/editor_preview.html",
        {
            "scorecard": scorecard,
            "version": version,
            "result": result,
            "team_rows": team_rows,
            "employee_rows": employee_rows,
        },
    )


def _publish_error_to_form(form: VersionPublishForm, error: ValidationError) -> None:
    """Show the service's refusal at the date field when it is about the date, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


@login_required
@require_POST
def editor_publish(request, slug: str, number: int):
    """Publish the draft from a date on; it is read-only afterwards."""
    version = _version_of(_editable_scorecard(request, slug), number)
    today = timezone.localdate()
    form = VersionPublishForm(
        request.POST,
        today=today,
        rescored_count=lambda day: len(
            version_rescored_days(version=version, today=today, effective_from=day)
        ),
    )
    if form.is_valid():
        try:
            scorecard_version_publish(
                version=version, effective_from=form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            _publish_error_to_form(form, error)
        else:
            messages.success(
                request,
                _("Version %(number)s is published and takes effect on %(day)s.")
                % {
                    "number": version.number,
                    "day": formats.date_format(form.cleaned_data["effective_from"]),
                },
            )
            return redirect("scorecards:editor_version", slug=slug, number=number)
    version.refresh_from_db()
    return _render_version(request, version, publish_form=form)
