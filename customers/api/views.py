from collections.abc import Mapping
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from crs_site.api_auth import principal_for_request
from crs_site.api_pagination import StrictPageSize
from crs_site.api_schema import BatchInvalid
from customers.api.serializers import (
    API_SOURCE,
    MAX_BATCH,
    CustomerSerializer,
    InteractionSerializer,
    InteractionWriteSerializer,
    UpsertResponseSerializer,
)
from customers.batch import RowErrors, interactions_push
from customers.filtersets import CustomerFilter, InteractionFilter
from customers.models import Interaction
from customers.selectors import (
    customers_visible,
)
from customers.services import InteractionRowsInvalid, interaction_keys_repeated
from staff.bounds import day_in_range
from staff.choices import ApiScope
from staff.filtersets import MAX_ID
from staff.permissions import rows_visible


class IdCursorPagination(StrictPageSize, CursorPagination):
    ordering = "id"
    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000

    def decode_cursor(self, request):
        # The cursor is the client's to edit: a position that is not one this pagination wrote
        # would reach SQL as a wrong type or an out-of-range value (a 500), so it is refused as
        # an invalid cursor, as DRF refuses one it cannot decode.
        cursor = super().decode_cursor(request)
        position = None if cursor is None else cursor.position
        if position is not None and not self.position_is_valid(position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def position_is_valid(self, position: str) -> bool:
        """Whether a cursor's position is a row id."""
        return position.isascii() and position.isdigit() and 0 < int(position) <= MAX_ID


class OpenedCursorPagination(IdCursorPagination):
    ordering = ("-opened_at", "-id")

    def position_is_valid(self, position: str) -> bool:
        """Whether a cursor's position is a time a stored interaction can have."""
        try:
            moment = parse_datetime(position)
        except ValueError:
            return False
        return moment is not None and day_in_range(moment)


class CustomerList(generics.ListCreateAPIView):
    """Customers: list and search them, or create one."""

    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    pagination_class = IdCursorPagination
    required_scopes = {"GET": ApiScope.CUSTOMERS_READ, "POST": ApiScope.CUSTOMERS_WRITE}

    def get_queryset(self):
        # Erased customers are no one's business through the API: nothing about them is left.
        return customers_visible(principal=principal_for_request(self.request)).filter(
            erased_at__isnull=True
        )


_BATCH_REQUEST = PolymorphicProxySerializer(
    component_name="InteractionBatch",
    serializers=[InteractionWriteSerializer, InteractionWriteSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class InteractionList(generics.ListAPIView):
    """Interactions of the people the caller may see; POST upserts one or up to 1,000."""

    serializer_class = InteractionSerializer
    filterset_class = InteractionFilter
    pagination_class = OpenedCursorPagination
    required_scopes = {"GET": ApiScope.INTERACTIONS_WRITE, "POST": ApiScope.INTERACTIONS_WRITE}

    def get_queryset(self):
        return rows_visible(
            queryset=Interaction.objects.all(),
            principal=principal_for_request(self.request),
            day_field="opened_at__date",
        )

    @extend_schema(
        request=_BATCH_REQUEST,
        responses={200: UpsertResponseSerializer},
        description=(
            "Create or update interactions on (source, external_id): re-sending a batch changes "
            "nothing twice. A batch with any bad row writes nothing; the 400 names every bad "
            f"row's index and field. At most {MAX_BATCH} rows."
        ),
    )
    def post(self, request):
        rows = request.data if isinstance(request.data, list) else [request.data]
        if not rows or len(rows) > MAX_BATCH:
            raise serializers.ValidationError(
                _("Send one interaction or a list of 1 to %(max)d.") % {"max": MAX_BATCH}
            )
        errors: RowErrors = {}
        valid: dict[int, dict[str, Any]] = {}
        # One serializer validates every row: building one per row copies its fields each time,
        # which cost more than the rest of the request together.
        validator = InteractionWriteSerializer()
        for index, row in enumerate(rows):
            try:
                valid[index] = dict(validator.run_validation(row))
            except serializers.ValidationError as exc:
                errors[index] = _field_errors(exc.detail)
        # Repeated keys are named with the other mistakes, not only once every row is valid.
        for index, fields in interaction_keys_repeated(keys=_keys(rows)).items():
            for field, messages in fields.items():
                errors.setdefault(index, {}).setdefault(field, []).extend(messages)
        try:
            interactions = interactions_push(
                principal=principal_for_request(request), rows=valid, errors=errors
            )
        except InteractionRowsInvalid as exc:
            raise BatchInvalid(exc.row_errors) from None
        results = [
            {"id": i.pk, "source": i.source, "external_id": i.external_id} for i in interactions
        ]
        return Response({"count": len(results), "results": results}, status=status.HTTP_200_OK)


def _keys(rows: list) -> list[tuple[str, str | None]]:
    """The (source, external_id) each row was sent with, as far as it is readable."""
    keys = []
    for row in rows:
        fields = row if isinstance(row, Mapping) else {}
        source, external_id = fields.get("source", API_SOURCE), fields.get("external_id")
        keys.append((str(source), external_id if isinstance(external_id, str) else None))
    return keys


def _field_errors(detail: Mapping | list) -> dict[str | None, list[str]]:
    if isinstance(detail, list):
        # A row that is not an object at all (null, a number): an error about the whole row.
        return {None: [str(message) for message in detail]}
    return {
        (None if field == "non_field_errors" else field): [str(message) for message in messages]
        for field, messages in detail.items()
    }
