"""The working calendar of a team (business hours): a page for its managers and admins."""

import holidays
from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from customers.forms import add_service_errors
from customers.working_time import working_calendar_remove, working_calendar_save
from staff.models import WEEKDAYS, WorkingCalendar
from staff.selectors import teams_visible_to

_DAY_NAMES = {
    "monday": gettext_lazy("Monday"),
    "tuesday": gettext_lazy("Tuesday"),
    "wednesday": gettext_lazy("Wednesday"),
    "thursday": gettext_lazy("Thursday"),
    "friday": gettext_lazy("Friday"),
    "saturday": gettext_lazy("Saturday"),
    "sunday": gettext_lazy("Sunday"),
}


def _country_choices() -> list[tuple[str, str]]:
    """The countries the `holidays` package knows, named in the reader's language (Babel)."""
    try:
        names = Locale.parse(get_language() or "en", sep="-").territories
    except (UnknownLocaleError, ValueError):
        names = Locale("en").territories
    countries = sorted(
        ((code, names.get(code, code)) for code in holidays.list_supported_countries()),
        key=lambda item: item[1],
    )
    return [("", _("No public holidays")), *countries]


class WorkingCalendarForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Public holidays of"), required=False)
    subdivision = forms.CharField(
        label=gettext_lazy("Region"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("Only where regions have holidays of their own, such as BY in DE."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = _country_choices()
        for day in WEEKDAYS:
            for part, label in (
                ("start", pgettext("working hours", "from")),
                ("end", pgettext("working hours", "to")),
            ):
                self.fields[f"{day}_{part}"] = forms.TimeField(
                    label=f"{_DAY_NAMES[day]}, {label}",
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    def days(self):
        """Rows of the week for the template: (day name, start field, end field)."""
        return [(_DAY_NAMES[day], self[f"{day}_start"], self[f"{day}_end"]) for day in WEEKDAYS]

    def hours(self):
        return [
            (self.cleaned_data.get(f"{day}_start"), self.cleaned_data.get(f"{day}_end"))
            for day in WEEKDAYS
        ]


def _initial(calendar: WorkingCalendar | None) -> dict:
    if calendar is None:
        # A first calendar is offered as Monday to Friday, 09:00 to 17:00.
        return {
            f"{day}_{part}": time
            for day in WEEKDAYS[:5]
            for part, time in (("start", "09:00"), ("end", "17:00"))
        }
    initial = {"country": calendar.country, "subdivision": calendar.subdivision}
    for day in WEEKDAYS:
        initial[f"{day}_start"] = getattr(calendar, f"{day}_start")
        initial[f"{day}_end"] = getattr(calendar, f"{day}_end")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def team_hours(request, slug: str):
    """Set, change or remove the team's working calendar."""
    teams = teams_visible_to(user=request.user)
    if not teams.exists():
        raise PermissionDenied(_("Only the team's managers and admins set its working hours."))
    team = get_object_or_404(teams, slug=slug)
    try:
        calendar = team.working_calendar
    except ObjectDoesNotExist:
        calendar = None
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        working_calendar_remove(team=team)
        messages.success(
            request, _("The working calendar is removed: response times count the clock.")
        )
        return redirect("customers:team_hours", slug=team.slug)
    if request.method == "POST":
        form = WorkingCalendarForm(request.POST)
        if form.is_valid():
            try:
                working_calendar_save(
                    team=team,
                    country=form.cleaned_data["country"],
                    subdivision=form.cleaned_data["subdivision"],
                    hours=form.hours(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Working hours saved. The response times of the team are recounted."),
                )
                return redirect("customers:team_hours", slug=team.slug)
        status = 400
    else:
        form = WorkingCalendarForm(initial=_initial(calendar))
    return render(
        request,
        "customers/team_hours.html",
        {"team": team, "calendar": calendar, "form": form},
        status=status,
    )
