"""Reads for the import pages: whose imports someone sees, one import's state and bad rows."""

from django.db.models import Q, QuerySet

from imports.models import ImportJob, ImportRowError
from staff.choices import Role
from staff.selectors import employee_for_user, role_for_user

JOB_SORTS = {
    "newest": ("-created_at", "-pk"),
    "oldest": ("created_at", "pk"),
    "file": ("file_name", "-pk"),
    "source": ("source", "-created_at"),
}
DEFAULT_JOB_SORT = "newest"


def can_import(*, user) -> bool:
    """Managers and admins import files."""
    return role_for_user(user=user) in (Role.MANAGER, Role.ADMIN)


def import_jobs_visible(*, user) -> QuerySet[ImportJob]:
    """Admins see every import; managers the ones they uploaded; everyone else none."""
    role = role_for_user(user=user)
    if role == Role.ADMIN:
        return ImportJob.objects.all()
    if role == Role.MANAGER:
        return ImportJob.objects.filter(created_by=employee_for_user(user=user))
    return ImportJob.objects.none()


def import_job_list(*, user, query: str = "", sort: str = DEFAULT_JOB_SORT) -> QuerySet[ImportJob]:
    jobs = import_jobs_visible(user=user).select_related("created_by__user")
    if query:
        jobs = jobs.filter(Q(file_name__icontains=query) | Q(source__icontains=query))
    return jobs.order_by(*JOB_SORTS.get(sort, JOB_SORTS[DEFAULT_JOB_SORT]))


def import_job_status(*, job: ImportJob) -> dict:
    """The job's progress as the status endpoint sends it (and the progress bar reads it)."""
    if job.status == "importing":
        done, total = job.written_rows, job.total_rows or 0
    else:
        done, total = job.checked_rows, job.total_rows or 0
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else None,
        "checked_rows": job.checked_rows,
        "written_rows": job.written_rows,
        "bad_rows": job.bad_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "is_running": job.status in ("checking", "importing"),
    }


def import_row_errors(*, job: ImportJob) -> QuerySet[ImportRowError]:
    return job.row_errors.order_by("row", "pk")
