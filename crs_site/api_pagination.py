"""Page size as the API's schema states it: an integer from 1 to the pagination's maximum.

DRF falls back to the default page size for any other value, so a client asking for
`page_size=abc` or `page_size=100000` got a page it did not ask for and no error to say so.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions


class StrictPageSize:
    """Pagination mixin: refuse a `page_size` that is not an integer within 1..max_page_size."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= self.max_page_size):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: _("Enter a whole number from 1 to %(max)d.")
                    % {"max": self.max_page_size}
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters
