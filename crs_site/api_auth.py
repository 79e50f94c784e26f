"""Who is calling the API and what it may do: API-key authentication, scopes, throttling.

Kept free of imports of `rest_framework.views` and the schema machinery, which read the
authentication setting that names this module.
"""

import datetime as dt
import hashlib
import logging

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from crs_site.lib.memo import ProcessMemo
from staff.models import ApiKey
from staff.permissions import Principal, principal_for_api_key, principal_for_user

logger = logging.getLogger(__name__)

KEYWORD = "Api-Key"
# Recording every request's time would turn each read into a write; a minute is precise enough
# to tell an admin which keys are still in use.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticate `Authorization: Api-Key <key>` against the stored hashes."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Api-Key <key>."))
        now = timezone.now()
        try:
            api_key = api_key_verified(key=header[1].decode("ascii"), now=now)
        except (UnicodeDecodeError, ApiKey.DoesNotExist):
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from None
        if api_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        api_key_mark_used(api_key=api_key, now=now)
        return (AnonymousUser(), api_key)

    def authenticate_header(self, request):
        return KEYWORD


# Keys this process verified lately, by the key's SHA-256 (not the key itself).
_verified: ProcessMemo[bytes, ApiKey] = ProcessMemo(name="api-keys")
_verified.forget_on_change(ApiKey)


def api_key_verified(*, key: str, now: dt.datetime) -> ApiKey:
    """Return the usable (not revoked) key, looked up by the library's own manager, or raise
    ApiKey.DoesNotExist.

    The process trusts a key it verified for API_MEMO_SECONDS (crs_site.lib.memo): a client's
    next requests skip the lookup, which was an eighth of a score page's time. Saving or
    deleting a key (a revoke, a new expiry or scopes) empties the memo of the process that did
    it at once; other processes look the key up again within those seconds. Expiry is checked
    on every request.
    """
    return _verified.get(
        hashlib.sha256(key.encode()).digest(),
        now=now,
        load=lambda _digest: ApiKey.objects.get_from_key(key),
    )


def api_key_mark_used(*, api_key: ApiKey, now: dt.datetime) -> None:
    """Record that the key was used, at most once a minute per key."""
    if api_key.last_used_at is not None and now - api_key.last_used_at < LAST_USED_PRECISION:
        return
    # The condition makes concurrent requests of one key write once, not once each.
    stale = now - LAST_USED_PRECISION
    ApiKey.objects.filter(pk=api_key.pk).exclude(last_used_at__gt=stale).update(last_used_at=now)
    api_key.last_used_at = now


def principal_for_request(request) -> Principal:
    """Return the request's principal (its API key, else its signed-in user), computed once."""
    if not hasattr(request, "_crs_principal"):
        if isinstance(request.auth, ApiKey):
            principal = principal_for_api_key(api_key=request.auth)
        else:
            principal = principal_for_user(user=request.user)
        request._crs_principal = principal
    return request._crs_principal


class ScopedAccess(BasePermission):
    """Let a principal in when it holds the scope the view names for the request's method.

    Views set `required_scopes = {"GET": "scores:read", ...}`; a method left out needs no scope,
    only an authenticated principal.
    """

    def has_permission(self, request, view):
        principal = principal_for_request(request)
        if not principal.is_allowed:
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            return False
        scope = getattr(view, "required_scopes", {}).get(request.method)
        if scope is not None and scope not in principal.scopes:
            raise exceptions.PermissionDenied(
                _("This request needs the %(scope)s scope.") % {"scope": scope}
            )
        return True


class ApiRateThrottle(SimpleRateThrottle):
    """Limit requests per API key (or per signed-in user, or per address)."""

    scope = "api"

    def get_rate(self):
        # Read at each request rather than at import, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        # The counters live in the cache (Redis in production). With Redis gone the API keeps
        # answering, unthrottled, rather than failing every request: the limit protects the
        # service, and refusing everyone would be the outage it guards against.
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API throttle skipped: the cache is unreachable", exc_info=True)
            return True

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            ident = f"key:{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"addr:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
