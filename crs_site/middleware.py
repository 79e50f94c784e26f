"""Project-wide middleware: a request id that ties log lines, responses and proxies together."""

import re
import uuid

from crs_site.logging import request_id_var

# Accept a proxy's id only when it is short and plain, so a header cannot inject into log lines.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Take X-Request-ID from the proxy (or make one), log with it, and send it back."""

    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.header, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[self.header] = request_id
        return response
