"""Swagger UI at /api/docs/ renders every operation in headless Chromium, with no request leaving
the server (its assets come from a package) and nothing refused by the Content Security Policy."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from staff.models import ApiKey

OPERATIONS = [
    ("GET", "/api/v1/scorecards/"),
    ("GET", "/api/v1/scores/employees/"),
    ("GET", "/api/v1/scores/teams/"),
    ("GET", "/api/v1/scores/summary/"),
    ("POST", "/api/v1/interactions/"),
    ("POST", "/api/v1/feedback/surveys/"),
    ("POST", "/api/v1/customers/"),
]


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_the_operations_offline(page, live_server, screenshot):
    server = urlsplit(live_server.url).netloc
    outside: list[str] = []
    problems: list[str] = []

    def only_the_server(route):
        if urlsplit(route.request.url).netloc == server:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("CRS API")
    for method, path in OPERATIONS:
        operation = page.locator(".opblock", has=page.locator(f'[data-path="{path}"]')).filter(
            has=page.locator(".opblock-summary-method", has_text=method)
        )
        expect(operation.first).to_be_visible()
    screenshot("api-docs")
    assert outside == []
    assert problems == []


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_try_it_out_calls_the_api_with_a_key(page, live_server):
    _, raw = ApiKey.objects.create_key(name="docs", scopes=["scores:read"])
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").first.fill(f"Api-Key {raw}")
    page.locator(".modal-ux button.authorize").first.click()
    page.locator(".modal-ux button.btn-done").first.click()

    operation = page.locator("#operations-scores-scores_teams_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
