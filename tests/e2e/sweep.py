"""Every page of every role, visited in Chromium: axe-core and the no-sideways-scroll check.

The pages are found by following the links each role can reach from its start page (one page per
URL shape: /agents/12/ and /agents/13/ are the same page), so a new page is swept without being
listed here. Used by test_pages.py (the suite: one language and a sample in Russian) and by
test_screenshots.py (`make screenshots`: every page, both screen sizes, four languages).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# axe impacts that fail a page; "moderate" and "minor" are reported by axe but do not fail.
FAILING_IMPACTS = ("serious", "critical")
# Links that are not pages to sweep: downloads, the admin and API, signing out, the language.
SKIPPED = re.compile(
    r"^/(admin|api|static|i18n|language|accounts/logout|health)/|export|download|\.csv|\.xlsx"
)
# The first path segment under which the second one names an object (a slug or a number).
OBJECT_PREFIXES = {"teams", "rules", "scorecards", "agents", "customers", "changes", "s"}
FIXED_SEGMENTS = {"compare", "new", "search", "team", "reviews", "calibration", "comments"}
MAX_PAGES = 60


def url_shape(path: str) -> str:
    """Return the shape of a path: numbers, days and object slugs replaced by placeholders."""
    segments = [segment for segment in path.split("/") if segment]
    shaped = []
    for index, segment in enumerate(segments):
        if any(character.isdigit() for character in segment):
            shaped.append("#")
        elif index == 1 and segments[0] in OBJECT_PREFIXES and segment not in FIXED_SEGMENTS:
            shaped.append("*")
        else:
            shaped.append(segment)
    return "/" + "/".join(shaped)


@dataclass
class PageReport:
    path: str
    scroll_width: int
    inner_width: int
    violations: list[dict] = field(default_factory=list)

    @property
    def overflows(self) -> bool:
        return self.scroll_width > self.inner_width

    def problems(self) -> list[str]:
        found = [
            f"{self.path}: axe {violation['id']} ({violation['impact']}): "
            + "; ".join(node for node in violation["targets"][:3])
            for violation in self.violations
        ]
        if self.overflows:
            found.append(
                f"{self.path}: {self.scroll_width} px wide in a {self.inner_width} px window"
            )
        return found


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()


def language_set(page, base_url: str, language: str) -> None:
    """Switch the interface language the way a person does (the footer's form)."""
    page.goto(f"{base_url}/")
    page.locator("#language-select").select_option(language)
    with page.expect_navigation():
        page.locator("[data-testid=language-switcher]").evaluate("form => form.requestSubmit()")


def page_paths(
    page, base_url: str, start: str = "/", limit: int = MAX_PAGES, visit=None
) -> list[str]:
    """Return one path per page shape reachable by links from `start`, in the order found.

    `visit(path)` is called on each page found while it is open, to check it on the way.
    """
    host = urlsplit(base_url).netloc
    queue, seen, found = [start], set(), []
    while queue and len(found) < limit:
        path = queue.pop(0)
        shape = url_shape(path)
        if shape in seen:
            continue
        seen.add(shape)
        response = page.goto(base_url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        found.append(urlsplit(page.url).path if page.url.startswith(base_url) else path)
        if visit is not None:
            visit(found[-1])
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if parts.netloc != host or SKIPPED.search(parts.path):
                continue
            if url_shape(parts.path) not in seen and parts.path not in queue:
                queue.append(parts.path)
    return list(dict.fromkeys(found))


def page_check(page, base_url: str, path: str, *, axe: bool = True) -> PageReport:
    """Load a page, measure its width and run axe-core on it."""
    page.goto(base_url + path)
    return page_measure(page, path, axe=axe)


def page_measure(page, path: str, *, axe: bool = True) -> PageReport:
    """Measure the open page's width and run axe-core on it."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    report = PageReport(path=path, scroll_width=width, inner_width=inner)
    if axe:
        page.add_script_tag(path=str(AXE))
        results = page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact,
                    targets: v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 80)),
                }));
            }"""
        )
        report.violations = [item for item in results if item["impact"] in FAILING_IMPACTS]
    return report
