"""The API's contract: one error shape for every failure, and how the OpenAPI schema says so.

Errors always have this shape, whatever raised them:
`{"errors": [{"field": "opened_at", "message": "...", "code": "invalid", "index": 3}]}`
where `field` is null for an error about the whole request and `index` appears only for the rows
of a batch.
"""

import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from crs_site.api_auth import ApiKeyAuthentication

logger = logging.getLogger(__name__)


class BatchInvalid(exceptions.APIException):
    """A batch refused as a whole; `row_errors` maps each bad row's index to its field errors."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("Some rows are not valid; nothing was written.")
    default_code = "invalid"

    def __init__(self, row_errors: dict[int, dict[str, list[str]]]):
        super().__init__()
        self.row_errors = row_errors


class KnownFieldsOnly:
    """Serializer mixin: refuse fields the serializer does not have, naming each one, and
    text fields sent as anything but a string, as the schema says.

    DRF drops unknown fields silently, so a misspelt field (`resolved` for `resolved_at`) would
    be written as if it had not been sent, and it turns a number into text.
    """

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields)) if isinstance(data, Mapping) else []
        errors = {str(name): [_("Unknown field.")] for name in unknown}
        if isinstance(data, Mapping):
            for name, field in self.fields.items():
                value = data.get(name)
                is_text = isinstance(field, serializers.CharField) and not field.read_only
                if is_text and value is not None and not isinstance(value, str):
                    errors[name] = [field.error_messages["invalid"]]
        try:
            value = super().to_internal_value(data)
        except exceptions.ValidationError as exc:
            if errors and isinstance(exc.detail, dict):
                raise exceptions.ValidationError({**exc.detail, **errors}) from None
            raise
        if errors:
            raise exceptions.ValidationError(errors)
        return value


def _flatten(detail, *, field: str | None = None, index: int | None = None) -> list[dict]:
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            name = None if key in (api_settings.NON_FIELD_ERRORS_KEY, "__all__") else str(key)
            if field and name:
                name = f"{field}.{name}"
            errors += _flatten(value, field=name or field, index=index)
        return errors
    if isinstance(detail, list):
        if detail and all(isinstance(item, dict) for item in detail):
            # A list of objects (a batch): each row's errors carry its index.
            errors = []
            for position, item in enumerate(detail):
                if field is None and index is None:
                    errors += _flatten(item, index=position)
                else:
                    errors += _flatten(item, field=f"{field}.{position}", index=index)
            return errors
        return [error for item in detail for error in _flatten(item, field=field, index=index)]
    error = {
        "field": field,
        "message": str(detail),
        "code": getattr(detail, "code", None) or "invalid",
    }
    if index is not None:
        error["index"] = index
    return [error]


def api_exception_handler(exc, context):
    """Render every error as JSON in the one shape; never an HTML page nor a CSV file."""
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
    elif isinstance(exc, IntegrityError):
        # Two writers raced past validation to the same unique key; the client may retry.
        exc = exceptions.APIException(_("This conflicts with a row written at the same moment."))
        exc.status_code = status.HTTP_409_CONFLICT
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.APIException(
            _("The request body is larger than %(size)d MB.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
            code="too_large",
        )
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, BatchInvalid):
        errors = [
            {"field": name, "message": str(message), "code": "invalid", "index": index}
            for index, fields in sorted(exc.row_errors.items())
            for name, messages in fields.items()
            for message in messages
        ]
        return Response({"errors": errors}, status=exc.status_code)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("API request failed", exc_info=exc)
        return Response(
            {"errors": [{"field": None, "message": _("Internal error."), "code": "error"}]},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(response.data)}
    else:
        response.data = {"errors": _flatten(exc.detail)}
    return response


def api_not_found(request, *args, **kwargs):
    """Answer an unknown API address with the JSON error shape, not the HTML 404 page."""
    error = {"field": None, "message": _("Not found."), "code": "not_found"}
    return JsonResponse({"errors": [error]}, status=status.HTTP_404_NOT_FOUND)


class ErrorSerializer(serializers.Serializer):
    """One error: the field it is about (null for the whole request) and why."""

    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    code = serializers.CharField()
    index = serializers.IntegerField(
        required=False, help_text=gettext_lazy("The batch row the error is about.")
    )


class ErrorsSerializer(serializers.Serializer):
    """The body of every error response."""

    errors = ErrorSerializer(many=True)


_ERROR_CODES = {
    "400": gettext_lazy("The request is not valid; every wrong field is named."),
    "401": gettext_lazy("No valid API key or session."),
    "403": gettext_lazy("The key or user may not do this."),
    "404": gettext_lazy("Not found, or not visible to this key or user."),
    "429": gettext_lazy("Too many requests; retry after the seconds in Retry-After."),
}
_WRITE_ERROR_CODES = {
    "413": gettext_lazy("The request body is larger than the limit (REQUEST_MAX_BODY_MB)."),
    "409": gettext_lazy("A concurrent request wrote the same unique key first; retry."),
}


class ApiAutoSchema(AutoSchema):
    """Describe the error responses every operation can return, in the one error shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        codes = dict(_ERROR_CODES)
        if self.method in ("POST", "PUT", "PATCH"):
            codes.update(_WRITE_ERROR_CODES)
        for code, description in codes.items():
            if code in responses:
                continue
            response = self._get_response_for_code(
                ErrorsSerializer, code, media_types=["application/json"], direction=direction
            )
            response["description"] = str(description)
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": str(_("Seconds to wait before the next request.")),
                    }
                }
            responses[code] = response
        return responses


# Request bodies whose serializers refuse unknown fields (KnownFieldsOnly), and the pairs of
# fields of which each body must carry exactly one (an id or an external id).
_STRICT_BODIES = {
    "CustomerRequest": [],
    "InteractionWriteRequest": [
        ("customer", "customer_external_id"),
        ("employee", "employee_external_id"),
    ],
    "SurveyResponseWriteRequest": [("interaction", "interaction_external_id")],
}


def strict_bodies_hook(result, generator, request, public):
    """Say in the schema what the serializers enforce: no other fields, one of each pair, and
    a batch of 1 to MAX_BATCH rows."""
    from customers.api.serializers import MAX_BATCH  # the apps' API builds on this module

    schemas = result.get("components", {}).get("schemas", {})
    for variant in schemas.get("InteractionBatchRequest", {}).get("oneOf", []):
        if variant.get("type") == "array":
            variant.update(minItems=1, maxItems=MAX_BATCH)
    for name, pairs in _STRICT_BODIES.items():
        if name not in schemas:
            continue
        schemas[name]["additionalProperties"] = False
        if pairs:
            schemas[name]["allOf"] = [
                {"oneOf": [{"required": [first]}, {"required": [second]}]}
                for first, second in pairs
            ]
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("Send `Authorization: Api-Key <key>`; an admin creates keys.")),
        }
