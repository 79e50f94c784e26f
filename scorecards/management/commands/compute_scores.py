import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from scorecards.engine.rows import scores_compute, scores_compute_employees, scores_compute_teams
from scorecards.engine.sources import employees_to_score
from scorecards.models import TeamDailyScore
from staff.models import Employee, Team

# Employees per chunk: the grouped queries pay off, and one chunk's rows fit a few INSERTs.
EMPLOYEES_PER_CHUNK = 200
# Days per chunk: a month of rows per employee keeps a chunk's transaction short.
DAYS_PER_CHUNK = 31
# A synchronous backfill of everyone reads all employees at once, a span of days at a time:
# the grouped queries then scan each source once per span instead of once per employee chunk.
# This many employee-days per span bound the memory a span takes.
EMPLOYEE_DAYS_PER_SPAN = 40_000


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date like 2025-01-31, not %(value)r.")
            % {"option": option, "value": value}
        ) from None


def _chunks(items: list, size: int) -> list[list]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _periods(date_from: dt.date, date_to: dt.date, days: int) -> list[tuple[dt.date, dt.date]]:
    """Split the range into spans of at most `days` days, in order."""
    periods = []
    start = date_from
    while start <= date_to:
        end = min(start + dt.timedelta(days=days - 1), date_to)
        periods.append((start, end))
        start = end + dt.timedelta(days=1)
    return periods


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when read: argparse formats the description with `re`, which a lazy
        # string would crash (`--help`).
        return _(
            "Compute employee and team scores for a range of days: synchronously in chunks, "
            "or handed to the Celery workers with --async."
        )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        subjects = parser.add_mutually_exclusive_group()
        subjects.add_argument("--team", help=_("only the members of the team with this slug"))
        subjects.add_argument(
            "--employee",
            type=int,
            action="append",
            help=_("only this employee id (repeat for several)"),
        )
        parser.add_argument(
            "--async",
            dest="is_async",
            action="store_true",
            help=_("enqueue Celery tasks instead of computing here"),
        )

    def handle(self, *args, date_from, date_to, team, employee, is_async, **options):
        date_from = _date(date_from, "--from")
        date_to = _date(date_to, "--to")
        today = timezone.localdate()
        if date_from > date_to:
            raise CommandError(_("--from must not be after --to."))
        if date_to > today:
            raise CommandError(
                _("--to is in the future: scores can be computed up to today, %(today)s.")
                % {"today": today.isoformat()}
            )
        team_ids = None
        if team is not None:
            team_ids = list(Team.objects.filter(slug=team).values_list("pk", flat=True))
            if not team_ids:
                raise CommandError(_("There is no team with the slug %(slug)r.") % {"slug": team})
        if employee:
            employee_ids = sorted(set(employee))
            known = set(Employee.objects.filter(pk__in=employee_ids).values_list("pk", flat=True))
            if unknown := [pk for pk in employee_ids if pk not in known]:
                raise CommandError(
                    _("Unknown employee ids: %(ids)s.") % {"ids": ", ".join(map(str, unknown))}
                )
        else:
            employee_ids = employees_to_score(
                date_from=date_from, date_to=date_to, team_ids=team_ids
            )

        every_team = not employee and team_ids is None
        if every_team and not is_async:
            # Everyone, here and now: whole spans of days, with no employee filter.
            days = max(1, min(DAYS_PER_CHUNK, EMPLOYEE_DAYS_PER_SPAN // max(1, len(employee_ids))))
            chunks = [(None, start, end) for start, end in _periods(date_from, date_to, days)]
        else:
            chunks = [
                (ids, start, end)
                for start, end in _periods(date_from, date_to, DAYS_PER_CHUNK)
                for ids in _chunks(employee_ids, EMPLOYEES_PER_CHUNK)
            ]
        if is_async:
            self._enqueue(chunks)
        else:
            self._compute(
                chunks,
                date_from=date_from,
                date_to=date_to,
                team_ids=None if employee else team_ids,
                every_team=every_team,
                show_progress=options["verbosity"] > 0,
            )

    def _enqueue(self, chunks):
        from scorecards.tasks import scores_compute_chunk

        for employee_ids, start, end in chunks:
            scores_compute_chunk.delay(
                employee_ids=employee_ids, date_from=start.isoformat(), date_to=end.isoformat()
            )
        self.stdout.write(
            ngettext(
                "Enqueued %(count)d scoring task.", "Enqueued %(count)d scoring tasks.", len(chunks)
            )
            % {"count": len(chunks)}
        )

    def _compute(self, chunks, *, date_from, date_to, team_ids, every_team, show_progress):
        employee_rows = 0
        touched: set[int] = set(team_ids or ())
        for employee_ids, start, end in tqdm(
            chunks, desc=_("Scoring"), unit=_("chunk"), file=sys.stderr, disable=not show_progress
        ):
            if every_team:
                # Every team is pooled once at the end, so no chunk pools its teams on the way.
                employee_rows += scores_compute_employees(
                    date_from=start, date_to=end, employee_ids=employee_ids, parallel_reads=True
                )
                continue
            summary = scores_compute(
                date_from=start, date_to=end, employee_ids=employee_ids, parallel_reads=True
            )
            employee_rows += summary.employee_rows
            touched.update(summary.team_ids)
        if every_team or team_ids:
            # Teams left without members to score still lose their stale rows.
            scores_compute_teams(
                team_ids=None if every_team else team_ids, date_from=date_from, date_to=date_to
            )
        team_rows = TeamDailyScore.objects.filter(day__gte=date_from, day__lte=date_to)
        if not every_team:
            team_rows = team_rows.filter(team_id__in=touched)
        employee_days = ngettext(
            "%(count)d employee day", "%(count)d employee days", employee_rows
        ) % {"count": employee_rows}
        team_count = team_rows.count()
        team_days = ngettext("%(count)d team day", "%(count)d team days", team_count) % {
            "count": team_count
        }
        self.stdout.write(
            self.style.SUCCESS(
                _("Scored %(from)s to %(to)s: %(employees)s, %(teams)s.")
                % {
                    "from": date_from.isoformat(),
                    "to": date_to.isoformat(),
                    "employees": employee_days,
                    "teams": team_days,
                }
            )
        )
