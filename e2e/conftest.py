"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "e2e" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/install-chromium")
        pytest.skip(f"Chromium not found at {CHROMIUM} (run scripts/install-chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, ledger_cleanup):
    """A page factory. Every page of every browser test is checked for the
    Content-Security-Policy (hromada/core/csp.py): each document the browser loads
    carries the header, and Chromium reports no violation of it."""
    contexts = []
    problems: list[str] = []

    def on_response(response):
        if response.request.resource_type == "document" and response.url.startswith(live_server.url):
            if "content-security-policy" not in response.headers:
                problems.append(f"no Content-Security-Policy on {response.url}")

    def on_console(message):
        if "Content Security Policy" in message.text:
            problems.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def make(width=412, height=915, locale="uk-UA"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        # axe-core is served from the site's own origin, as the policy asks of every script.
        context.route("**/__e2e__/axe.min.js", lambda route: route.fulfill(path=str(AXE)))
        context.on("response", on_response)
        context.on("console", on_console)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert problems == [], "Content-Security-Policy problems:\n" + "\n".join(problems)


PASSWORD = "correct horse battery"  # the test factories' password


def login(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Електронна пошта").fill(email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_load_state()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_serious(page) -> list[dict]:
    """Run axe-core on the page; return serious and critical violations."""
    page.add_script_tag(url="/__e2e__/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
