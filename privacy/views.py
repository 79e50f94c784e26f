"""The customer page and the customer's personal data: export and erase.

Served under the `customers` URL namespace (crs_site/urls.py), beside the customer list.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from customers.selectors import (
    can_log_interactions,
    can_manage_personal_data,
    can_read_customers,
    customers_visible_to,
)
from privacy.selectors import customer_erasable_by, customer_history, customer_personal_data
from privacy.services import customer_erase

INTERACTIONS_PER_PAGE = 25


def _visible_customer(request, pk: int):
    if not can_read_customers(user=request.user):
        raise PermissionDenied(_("Your role does not give access to customers."))
    return get_object_or_404(customers_visible_to(user=request.user), pk=pk)


@login_required
@require_GET
def customer_detail(request, pk: int):
    """Show a customer with the contacts the user may see: history, CSAT, follow-ups."""
    customer = _visible_customer(request, pk)
    history = customer_history(customer=customer, user=request.user)
    page = Paginator(history.interactions, INTERACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "history": history,
            "page": page,
            "today": timezone.localdate(),
            "can_manage_personal_data": can_manage_personal_data(user=request.user),
            "can_log": can_log_interactions(user=request.user) and customer.erased_at is None,
        },
    )


def _personal_data_customer(request, pk: int):
    customer = _visible_customer(request, pk)
    if not can_manage_personal_data(user=request.user):
        raise PermissionDenied(_("Only managers and administrators handle personal data."))
    return customer


@login_required
@require_GET
def customer_export(request, pk: int):
    """Download everything stored about the customer as JSON (a data-subject access request)."""
    customer = _personal_data_customer(request, pk)
    data = customer_personal_data(customer=customer, user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="customer-{customer.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def customer_erase_view(request, pk: int):
    """Ask, then erase the customer's personal data; the statistics stay."""
    customer = _personal_data_customer(request, pk)
    if not customer_erasable_by(user=request.user, customer=customer):
        raise PermissionDenied(
            _(
                "Only an administrator, or a manager of every team that dealt with this "
                "customer, can erase their personal data."
            )
        )
    if customer.erased_at is not None:
        messages.info(request, _("This customer's personal data has already been erased."))
        return redirect("customers:customer_detail", pk=customer.pk)
    if request.method == "POST":
        customer_erase(customer=customer)
        messages.success(
            request,
            _("The customer's personal data was erased. Their interactions still count."),
        )
        return redirect("customers:customer_detail", pk=customer.pk)
    history = customer_history(customer=customer, user=request.user)
    return render(
        request,
        "customers/customer_confirm_erase.html",
        {
            "customer": customer,
            "history": history,
            "export_url": reverse("customers:customer_export", args=[customer.pk]),
        },
    )
