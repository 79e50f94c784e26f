"""Content negotiation that refuses an empty `?format=` as it refuses an unknown one."""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class StrictFormatNegotiation(DefaultContentNegotiation):
    """DRF ignores `?format=` with no value and answers JSON, although the schema names only
    json and csv: a client that built the URL wrongly would never learn it."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise Http404("Unknown format.")
        return super().select_renderer(request, renderers, format_suffix)
