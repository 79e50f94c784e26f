"""Small helpers for reading requests, shared by the apps' views."""

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def query_text(request: HttpRequest, name: str = "q", *, max_length: int = 100) -> str:
    """Return a text parameter of the query string (a search box, a slug): trimmed, at most
    `max_length` long.

    NUL characters are dropped: no keyboard types them, and PostgreSQL refuses them in a
    query (a 500 instead of "no matches").
    """
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    """Redirect to the form's `next` when it is a URL of this site, else to `fallback`.

    `next` is used as a URL as it stands (never looked up as a view name), so no value a
    client sends can turn the redirect into an error.
    """
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(resolve_url(fallback))
