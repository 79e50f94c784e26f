import pytest

from tests.integrations.zendesk_fake import FakeZendesk, FakeZendeskServer


@pytest.fixture
def zendesk(settings):
    """A FakeZendesk served on loopback; the project's Zendesk address points at it."""
    fake = FakeZendesk()
    with FakeZendeskServer(fake) as server:
        settings.CRS_ZENDESK_URL = server.url_pattern
        yield fake
