"""Fuzz every form of every page with hypothesis: whatever is sent, no server error.

Each page of the permission sweep is opened by the role that may use it; every <form> on it
(filters, the page's own forms, the layout's language switcher and sign-out) is then submitted
with generated values for each of its fields — text with odd characters and NUL bytes, numbers
out of range, impossible dates, very long strings, option values and junk. The answer must
never be a 5xx (the test client re-raises any exception a view lets through). Each submission
is rolled back, so one example cannot prepare the next. The API has its own fuzz pass
(schemathesis, tests/api).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_sweep import EXPECTED, POST_ONLY, ROLES, _kwargs
from tests.test_permission_sweep import world as world  # noqa: F401 (the sweep's fixture)

# Who opens each page: the first role in this order that the sweep lets in.
OPENERS = ["manager_own", "admin", "agent", "onboarding", "anonymous"]
# Sign-out ends the session the next examples need; it is a plain POST without fields.
SKIPPED_ACTIONS = {"/accounts/logout/"}
# The fields the POST-only actions read (a note, a reason, a language, where to go next).
ACTION_FIELDS = ["note", "reason", "language", "next", "outcome", "total", "x"]


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> option values


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                Form(method=(attrs.get("method") or "get").lower(), action=attrs.get("action", ""))
            )
            return
        if not self.forms:
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag in ("input", "textarea", "select") and name:
            options = form.fields.setdefault(name, [])
            if tag == "input" and attrs.get("type") in ("checkbox", "radio", "hidden", "submit"):
                options.append(attrs.get("value") or "on")
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select:
            form.fields[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


ODD_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20).map(lambda s: s + "\x00"),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "2026-02-30",
            "0000-00-00",
            "9999-12-31T23:59",
            "2026-13-01T25:61",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '=HYPERLINK("x")',
            "x" * 5000,
        ]
    ),
)


def _values(form: Form):
    """A strategy for one submission: each field left out, an offered value, or junk."""
    per_field = {
        name: st.one_of(st.none(), st.sampled_from(options), ODD_TEXT)
        if options
        else st.one_of(st.none(), ODD_TEXT)
        for name, options in form.fields.items()
    }
    return st.fixed_dictionaries(per_field).map(
        lambda values: {name: value for name, value in values.items() if value is not None}
    )


def _opener(name: str) -> str | None:
    allowed = dict(zip(ROLES, EXPECTED[name], strict=True))
    good = (302, 400) if name in POST_ONLY else (200,)
    return next((role for role in OPENERS if allowed[role] in good), None)


FUZZED = sorted(name for name in EXPECTED if name not in POST_ONLY and _opener(name))


@pytest.mark.parametrize("name", FUZZED)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_submission_of_any_form_on_the_page_is_a_server_error(client, world, name, data):
    cache.clear()  # the survey page's rate limit counts every example otherwise
    role = _opener(name)
    client.logout()
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = reverse(name, kwargs=_kwargs(name, world))
    page = client.get(url, follow=True)
    assert page.status_code == 200, (name, role, page.status_code)
    forms = [
        form
        for form in _forms(page.content.decode())
        if form.action not in SKIPPED_ACTIONS and form.method in ("get", "post")
    ]
    if not forms:
        return
    form = data.draw(st.sampled_from(forms), label="form")
    values = data.draw(_values(form), label="values")
    target = urlsplit(form.action).path or page.request["PATH_INFO"]
    send = client.post if form.method == "post" else client.get
    with transaction.atomic():
        response = send(target, values)
        transaction.set_rollback(True)

    assert response.status_code < 500, (name, form.method, target, values)


@pytest.mark.parametrize("name", sorted(POST_ONLY - {"logout"}))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    values=st.dictionaries(
        st.sampled_from(["note", "reason", "language", "next", "on", "x"]), ODD_TEXT
    )
)
def test_no_post_to_an_action_is_a_server_error(client, world, name, values):
    role = _opener(name)
    client.logout()
    if role is not None and role != "anonymous":
        client.force_login(world["users"][role])
    with transaction.atomic():
        response = client.post(reverse(name, kwargs=_kwargs(name, world)), values)
        transaction.set_rollback(True)

    assert response.status_code < 500, (name, values)
