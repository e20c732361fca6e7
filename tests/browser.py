"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright,
and axe-core (from npm) run inside a page.

Where Chromium or Playwright is missing the browser tests skip with a reason, except
under CI=true, where that is a failure.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return "Chromium is not installed (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    if not AXE_PATH.exists():
        return "axe-core is not installed (npm install)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM would
    # otherwise refuse to run from the test body.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA rules) in the page; the violations of the given impacts."""
    # Evaluated by the test driver, not added as an inline <script>: the pages' CSP
    # (no 'unsafe-inline') would refuse that, as it should.
    page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


WIDTHS = {"desktop": 1280, "phone": 390}


def check_at_both_widths(page, name: str) -> list[dict]:
    """Look at the current page as a desktop (1280 px) and a phone (390 px) sees it:
    a screenshot of each under artifacts/screenshots/<name>-desktop.png / -phone.png,
    and axe-core's serious and critical violations of both (empty when clean).

    The viewport is restored to the desktop width afterwards.
    """
    found = []
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{label}")
        found += [dict(violation, width=width) for violation in axe_violations(page)]
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    return found


def sign_in(page, live_server, user):
    """Sign ``user`` in to the staff screens (the suite's one password) and wait for home;
    whoever was signed in on the page before is signed out first."""
    from tests.conftest import PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url(re.compile(r"/staff/$"))
