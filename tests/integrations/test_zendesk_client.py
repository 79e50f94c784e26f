"""The export client against the loopback Zendesk (tests/integrations/zendesk_fake.py)."""

import datetime as dt

import pytest

from integrations.zendesk.client import (
    ZendeskAuthError,
    ZendeskError,
    ZendeskRateLimited,
    base_url,
    export_page,
    retry_after_seconds,
)
from tests.integrations.zendesk_fake import ticket, user

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _page(fake, **kwargs):
    return export_page(
        subdomain=fake.subdomain, email=fake.email, api_token=fake.api_token, **kwargs
    )


def test_pages_follow_the_cursor_to_the_end_of_the_stream(zendesk):
    zendesk.add(*(ticket(i, created_at=T0 + dt.timedelta(hours=i)) for i in range(1, 6)))
    page = _page(zendesk, start_time=0)
    seen = [t["id"] for t in page.tickets]
    while not page.end_of_stream:
        page = _page(zendesk, cursor=page.after_cursor)
        seen += [t["id"] for t in page.tickets]
    assert seen == [1, 2, 3, 4, 5]
    assert page.after_cursor  # the next poll goes on from here
    assert zendesk.requests[0]["query"]["include"] == ["metric_sets,users"]
    assert "cursor" not in zendesk.requests[0]["query"]
    assert zendesk.requests[1]["query"]["cursor"]


def test_the_stream_goes_on_from_the_last_cursor_when_new_tickets_arrive(zendesk):
    zendesk.page_size = 10
    zendesk.add(ticket(1, created_at=T0))
    page = _page(zendesk, start_time=0)
    assert page.end_of_stream
    zendesk.add(ticket(2, created_at=T0))
    later = _page(zendesk, cursor=page.after_cursor)
    assert [t["id"] for t in later.tickets] == [2]


def test_start_time_compares_with_the_generated_timestamp(zendesk):
    zendesk.add(ticket(1, created_at=T0), ticket(2, created_at=T0 + dt.timedelta(days=2)))
    page = _page(zendesk, start_time=int((T0 + dt.timedelta(days=1)).timestamp()))
    assert [t["id"] for t in page.tickets] == [2]


@pytest.mark.parametrize("mode", ["inline", "side_loaded"])
def test_metric_sets_arrive_inline_or_side_loaded(zendesk, mode):
    zendesk.metric_sets = mode
    zendesk.users = [user(501, name="Ann Agent", email="ann@acme.example")]
    zendesk.add(ticket(1, created_at=T0))
    page = _page(zendesk, start_time=0)
    if mode == "inline":
        assert page.tickets[0]["metric_set"]["ticket_id"] == 1
        assert page.metric_sets == []
    else:
        assert "metric_set" not in page.tickets[0]
        assert page.metric_sets[0]["ticket_id"] == 1
    assert page.users[0]["email"] == "ann@acme.example"


def test_429_names_the_retry_after_seconds(zendesk):
    zendesk.rate_limit_next(retry_after="17")
    with pytest.raises(ZendeskRateLimited) as caught:
        _page(zendesk, start_time=0)
    assert caught.value.retry_after == 17
    assert _page(zendesk, start_time=0).end_of_stream  # then it answers


def test_a_wrong_token_is_an_auth_error(zendesk):
    with pytest.raises(ZendeskAuthError):
        export_page(subdomain=zendesk.subdomain, email=zendesk.email, api_token="wrong")


def test_an_unreachable_account_is_an_error_not_a_crash(settings):
    settings.CRS_ZENDESK_URL = "http://127.0.0.1:9/{subdomain}"
    with pytest.raises(ZendeskError, match="could not be reached"):
        export_page(subdomain="acme", email="a@b.c", api_token="x")


@pytest.mark.parametrize("subdomain", ["", "a.b", "evil.com/x", "-x", "A" * 70, "x@y"])
def test_a_subdomain_is_never_a_host(subdomain):
    with pytest.raises(ZendeskError):
        base_url(subdomain=subdomain)


@pytest.mark.parametrize(
    ("header", "seconds"), [("7", 7), ("0", 1), ("2.5", 2), ("", 60), (None, 60), ("soon", 60)]
)
def test_retry_after_header_values(header, seconds):
    assert retry_after_seconds(header) == seconds
