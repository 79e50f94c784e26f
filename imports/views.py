"""File import pages: upload, pick the columns, see the check, import with a progress bar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crs_site.http import query_text
from crs_site.lib.spreadsheet import Column, columns_download, export_format
from customers.forms import add_service_errors
from imports.choices import ImportStatus
from imports.fields import targets_for
from imports.forms import ImportColumnsForm, ImportUploadForm
from imports.selectors import (
    DEFAULT_JOB_SORT,
    JOB_SORTS,
    can_import,
    import_job_list,
    import_job_status,
    import_jobs_visible,
    import_row_errors,
)
from imports.services import (
    EDITABLE_STATUSES,
    import_columns_set,
    import_job_create,
    import_start,
)
from staff.selectors import employee_for_user

JOBS_PER_PAGE = 20
ERRORS_PER_PAGE = 50


def _importer(request) -> None:
    if not can_import(user=request.user):
        raise PermissionDenied(_("Only managers and admins import files."))


def _job(request, pk: int):
    _importer(request)
    return get_object_or_404(import_jobs_visible(user=request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    """Upload a file, and the imports so far: searchable, sortable, paginated."""
    _importer(request)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_job_create(
                    kind=form.cleaned_data["kind"],
                    source=form.cleaned_data["source"],
                    upload=form.cleaned_data["file"],
                    created_by=employee_for_user(user=request.user),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("imports:job", pk=job.pk)
    else:
        form = ImportUploadForm()
    query = query_text(request)
    sort = request.GET.get("sort", DEFAULT_JOB_SORT)
    if sort not in JOB_SORTS:
        sort = DEFAULT_JOB_SORT
    jobs = import_job_list(user=request.user, query=query, sort=sort)
    if request.method == "GET" and (file_format := export_format(request)):
        return columns_download(
            file_format=file_format,
            name="imports",
            title=_("Imports"),
            columns=[
                Column(_("File"), lambda job: job.file_name),
                Column(_("Kind"), lambda job: job.get_kind_display()),
                Column(_("Source"), lambda job: job.source),
                Column(_("Status"), lambda job: job.get_status_display()),
                Column(_("Rows"), lambda job: job.total_rows),
                Column(_("Rows imported"), lambda job: job.written_rows),
                Column(_("Bad rows"), lambda job: job.bad_rows),
                Column(_("Uploaded"), lambda job: job.created_at),
                Column(_("Uploaded by"), lambda job: str(job.created_by or "")),
                Column(_("Finished"), lambda job: job.finished_at),
            ],
            items=jobs,
        )
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {"q": query} if query else {}
    return render(
        request,
        "imports/import_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "sort": sort,
            "sorts": JOB_SORTS,
            "page_query": urlencode({**filters, "sort": sort}),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request, pk: int):
    """One import: its columns, then the check's preview and bad rows, then the import."""
    job = _job(request, pk)
    columns_form = None
    editable = job.status in EDITABLE_STATUSES
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("This file is being checked or imported."))
        columns_form = ImportColumnsForm(request.POST, job=job)
        if columns_form.is_valid():
            try:
                import_columns_set(job=job, columns=columns_form.columns())
            except ValidationError as error:
                add_service_errors(columns_form, error)
            else:
                return redirect("imports:job", pk=job.pk)
    elif editable:
        columns_form = ImportColumnsForm(job=job)
    errors = Paginator(import_row_errors(job=job), ERRORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    picked = set(job.columns.values())
    return render(
        request,
        "imports/import_job.html",
        {
            "job": job,
            "progress": import_job_status(job=job),
            "columns_form": columns_form,
            "targets": targets_for(job.kind),
            "preview_headers": [h for h in job.headers if h in picked],
            "errors": errors,
            "show_columns": job.status == ImportStatus.UPLOADED
            or (columns_form is not None and columns_form.is_bound)
            or "columns" in request.GET,
        },
        status=400 if columns_form is not None and columns_form.errors else 200,
    )


@login_required
@require_POST
def import_run(request, pk: int):
    """Import a checked file (a task does it; the page shows its progress)."""
    job = _job(request, pk)
    try:
        import_start(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("The import has started."))
    return redirect("imports:job", pk=job.pk)


@login_required
@require_GET
def import_status(request, pk: int):
    """The import's progress as JSON, for the progress bar."""
    return JsonResponse(import_job_status(job=_job(request, pk)))
