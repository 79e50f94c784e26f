"""The Chatwoot webhook receiver: check who sends, store the body, answer 202.

Authenticated by the connection's secret in the URL (Chatwoot's webhook settings take only a
URL) and, when the connection has Chatwoot's signing secret, by the delivery's signature over
the raw body. Nothing is processed here: the stored event is queued for a worker.
"""

import hmac
import uuid

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.chatwoot import signature_valid
from integrations.choices import ConnectionKind
from integrations.models import Connection
from integrations.services import MAX_BODY_BYTES, event_receive


def _refused(status: int, message: str) -> JsonResponse:
    return JsonResponse({"detail": message}, status=status)


@csrf_exempt
@require_POST
def chatwoot_webhook(request: HttpRequest, connection_uuid: uuid.UUID, secret: str):
    """Receive one Chatwoot delivery."""
    connection = (
        Connection.objects.filter(uuid=connection_uuid, kind=ConnectionKind.CHATWOOT)
        # Every field event_receive reads too: a deferred one is a query of its own.
        .only("pk", "kind", "secret", "signing_secret", "is_paused", "settings")
        .first()
    )
    # An unknown connection and a wrong secret get the same answer: nothing tells them apart.
    if connection is None or not hmac.compare_digest(connection.secret, secret):
        return _refused(404, "Unknown connection.")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _refused(413, "The body is too large.")
    if connection.signing_secret and not signature_valid(
        secret=connection.signing_secret,
        timestamp=request.headers.get("X-Chatwoot-Timestamp", ""),
        body=body,
        signature=request.headers.get("X-Chatwoot-Signature", ""),
        now=timezone.now(),
    ):
        return _refused(401, "Missing or wrong signature.")
    event = event_receive(connection=connection, body=body)
    return JsonResponse({"id": event.pk}, status=202)
