"""Interaction logging and customer pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crs_site.http import query_text
from crs_site.lib.spreadsheet import EXPORT_FORMATS, table_download
from customers.forms import CustomerSearchForm, InteractionForm, add_service_errors
from customers.selectors import (
    CUSTOMER_SORTS,
    DEFAULT_CUSTOMER_SORT,
    can_log_interactions,
    can_read_customers,
    customer_list,
    customers_loggable_by,
    customers_matching,
    editable_days,
    editable_since,
    employee_interactions,
    employees_logging_for,
    interaction_editable_by,
)
from customers.services import (
    interaction_delete,
    interaction_log,
    interaction_update,
)
from staff.choices import Role
from staff.selectors import employee_for_user

CUSTOMERS_PER_PAGE = 25
INTERACTIONS_PER_PAGE = 25


def _logging_employee(request):
    if not can_log_interactions(user=request.user):
        raise PermissionDenied(_("Only agents and managers log interactions."))
    return employee_for_user(user=request.user)


def _employee_choices(request, employee):
    """Return whom the user may log for, or None when that is only themselves (no picker)."""
    if employee.role == Role.AGENT:
        return None
    return employees_logging_for(user=request.user)


def _customers_reader(request) -> None:
    if not can_read_customers(user=request.user):
        raise PermissionDenied(_("Your role does not give access to customers."))


@login_required
@require_http_methods(["GET", "POST"])
def interaction_log_view(request):
    """Log an interaction: pick or add the customer, the times default to now."""
    employee = _logging_employee(request)
    employees = _employee_choices(request, employee)
    customers = customers_loggable_by(user=request.user)
    if request.method == "POST":
        query = request.POST.get("customer_query", "")
        form = InteractionForm(
            request.POST,
            customers=customers,
            employees=employees,
            matches=customers_matching(query=query, customers=customers),
        )
        searching = "find" in request.POST or (
            query.strip()
            and not request.POST.get("customer")
            and not request.POST.get("new_customer_name", "").strip()
        )
        if searching:
            # The search button (and Enter in the search box without JavaScript) only looks
            # customers up; nothing is saved and the rest of the form is kept as typed.
            form = InteractionForm(
                initial=_as_initial(request.POST, matches=form.customer_choices),
                customers=customers,
                employees=employees,
                matches=form.customer_choices,
            )
            form.searched = True
        elif form.is_valid():
            fields = form.interaction_fields()
            logged_for = fields.pop("employee", employee)
            new_customer = form.new_customer()
            try:
                interaction = interaction_log(
                    logged_by=employee,
                    employee=logged_for,
                    customer=None if new_customer else form.cleaned_data["customer"],
                    new_customer=new_customer,
                    **fields,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Logged “%(subject)s” with %(customer)s.")
                    % {"subject": interaction.subject, "customer": interaction.customer},
                )
                return redirect("customers:interaction_log")
    else:
        initial = {}
        picked = request.GET.get("customer")
        if picked and picked.isdigit():
            initial["customer"] = picked
        if employees is not None:
            initial["employee"] = employee.pk
        form = InteractionForm(initial=initial, customers=customers, employees=employees)
    recent = employee_interactions(employee=employee)[:5]
    return render(
        request,
        "customers/interaction_form.html",
        {"form": form, "recent": recent, "editable_since": editable_since()},
    )


def _as_initial(data, *, matches=()) -> dict:
    """Return posted values as a new form's initial values, so a search keeps what was typed.

    Without a customer picked yet, the first match is, as the search-as-you-type picker does.
    """
    initial = {"customer": matches[0].pk} if matches else {}
    for name in data:
        if name in ("csrfmiddlewaretoken", "find"):
            continue
        values = data.getlist(name)
        initial[name] = values[-1] if values else ""
    for name in ("is_resolved", "is_first_contact_resolution", "is_escalated", "is_follow_up_done"):
        initial[name] = name in data
    return initial


@login_required
@require_GET
def customer_search(request):
    """Return the customer picker filled with the customers matching the search (htmx)."""
    employee = _logging_employee(request)
    customers = customers_loggable_by(user=request.user)
    matches = customers_matching(query=query_text(request, "customer_query"), customers=customers)
    initial = {"customer": matches[0].pk} if matches else {}
    form = InteractionForm(
        initial=initial,
        customers=customers,
        employees=_employee_choices(request, employee),
        matches=matches,
    )
    form.searched = True
    return render(request, "customers/_customer_field.html", {"form": form})


def _interactions_download(interactions, file_format: str):
    """The employee's own interactions (the search applied) as CSV or Excel."""
    return table_download(
        file_format=file_format,
        filename=f"interactions-{timezone.localdate().isoformat()}",
        title=str(_("My interactions")),
        headers=[
            _("Opened"),
            _("Subject"),
            _("Customer"),
            _("Channel"),
            _("Resolved"),
            _("Escalated"),
        ],
        rows=(
            [
                interaction.opened_at,
                interaction.subject,
                interaction.customer.display_name,
                interaction.get_channel_display(),
                interaction.resolved_at,
                interaction.is_escalated,
            ]
            for interaction in interactions
        ),
    )


@login_required
@require_GET
def interaction_list(request):
    """List the signed-in employee's own interactions, newest first, with edit and delete."""
    employee = _logging_employee(request)
    query = query_text(request)
    interactions = employee_interactions(employee=employee, query=query)
    if request.GET.get("format") in EXPORT_FORMATS:
        return _interactions_download(interactions, request.GET["format"])
    page = Paginator(interactions, INTERACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/interaction_list.html",
        {
            "page": page,
            "query": query,
            "page_query": urlencode({"q": query}) if query else "",
            "editable_since": editable_since(),
            "editable_days": editable_days(),
        },
    )


def _own_recent_interaction(request, pk: int):
    employee = _logging_employee(request)
    interaction = interaction_editable_by(user=request.user, pk=pk)
    if interaction is not None:
        return interaction
    if employee_interactions(employee=employee).filter(pk=pk).exists():
        raise PermissionDenied(
            _("Interactions opened more than %(days)d days ago can no longer be changed.")
            % {"days": editable_days()}
        )
    # Someone else's interaction is not there at all for this user.
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request, pk: int):
    """Change one of the employee's own recent interactions."""
    interaction = _own_recent_interaction(request, pk)
    customers = customers_loggable_by(user=request.user)
    if request.method == "POST":
        query = request.POST.get("customer_query", "")
        form = InteractionForm(
            request.POST,
            customers=customers,
            interaction=interaction,
            matches=customers_matching(query=query, customers=customers),
        )
        if "find" in request.POST:
            form = InteractionForm(
                initial=_as_initial(request.POST, matches=form.customer_choices),
                customers=customers,
                interaction=interaction,
                matches=form.customer_choices,
            )
            form.searched = True
        elif form.is_valid():
            try:
                interaction_update(
                    interaction=interaction,
                    changed_by=_logging_employee(request),
                    **form.interaction_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Interaction saved."))
                return redirect("customers:interaction_list")
    else:
        form = InteractionForm(customers=customers, interaction=interaction)
    return render(
        request, "customers/interaction_form.html", {"form": form, "interaction": interaction}
    )


@login_required
@require_http_methods(["GET", "POST"])
def interaction_remove(request, pk: int):
    """Ask, then delete one of the employee's own recent interactions."""
    interaction = _own_recent_interaction(request, pk)
    if request.method == "POST":
        interaction_delete(interaction=interaction)
        messages.success(request, _("Interaction deleted."))
        return redirect("customers:interaction_list")
    return render(
        request, "customers/interaction_confirm_delete.html", {"interaction": interaction}
    )


def _customers_download(customers, file_format: str):
    """The filtered, sorted customer list, every page of it, as CSV or Excel."""
    return table_download(
        file_format=file_format,
        filename=f"customers-{timezone.localdate().isoformat()}",
        title=str(_("Customers")),
        headers=[
            _("Name"),
            _("Company"),
            _("E-mail"),
            _("Tier"),
            _("Value points"),
            _("Interactions"),
            _("Last contact"),
        ],
        rows=(
            [
                customer.display_name,
                customer.company,
                customer.email,
                customer.get_tier_display(),
                customer.value_points,
                customer.interaction_count,
                customer.last_contact,
            ]
            for customer in customers
        ),
    )


@login_required
@require_GET
def customer_list_view(request):
    """List the customers the user may see, searchable, filterable, sortable, paginated."""
    _customers_reader(request)
    form = CustomerSearchForm(request.GET)
    sort = request.GET.get("sort", DEFAULT_CUSTOMER_SORT)
    if sort not in CUSTOMER_SORTS:
        sort = DEFAULT_CUSTOMER_SORT
    customers = customer_list(user=request.user, sort=sort, **form.filters())
    if request.GET.get("format") in EXPORT_FORMATS:
        return _customers_download(customers, request.GET["format"])
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))
    filters = {
        name: request.GET[name] for name in ("q", "tier", "opted_out") if request.GET.get(name)
    }
    return render(
        request,
        "customers/customer_list.html",
        {
            "form": form,
            "page": page,
            "sort": sort,
            "filter_query": urlencode(filters),
            "page_query": urlencode({**filters, "sort": sort}),
            "is_filtered": bool(filters),
        },
    )
