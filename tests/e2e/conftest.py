"""Fixtures for the end-to-end tests: the built site served on localhost, and real headless
browsers (Firefox through geckodriver, Chromium through chromedriver) driven by WebDriver.

Run through pkg-scripts/test.sh, which builds www/ and installs the browsers and drivers;
E2E_BROWSERS (default "firefox chromium") picks the browsers.
"""

import functools
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

WWW = Path(__file__).resolve().parents[2] / "www"


def _click_where_a_person_would(click):
    """A person scrolls what they are about to click into the middle of the window first.
    WebDriver clicks an element as soon as any of it is in view, and one at the window's top
    edge sits under the page's section bar, which stays there: Chromium's driver then refuses
    the click as intercepted."""

    @functools.wraps(click)
    def scrolled_click(element):
        element.parent.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        return click(element)

    return scrolled_click


webdriver.remote.webelement.WebElement.click = _click_where_a_person_would(
    webdriver.remote.webelement.WebElement.click)
BROWSERS = os.environ.get("E2E_BROWSERS", "firefox chromium").split()
WINDOW = (1280, 1000)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static host that sends no headers of its own choosing."""
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, *args):
        pass


class IsolatingHandler(QuietHandler):
    """The host demo.sh runs (pkg-scripts/serve.py): every response makes the page
    cross-origin isolated, so its training Worker may share memory between threads."""

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


def serve_www(directory=WWW, isolated=True):
    """A server of `directory` (the built site, www/) on a free localhost port, serving:
    (server, base URL). `isolated`: with the cross-origin isolation headers, as demo.sh serves
    it; without them, as a plain static host does."""
    for module in ["autoencoder_playground_inference_bg.wasm", "autoencoder_playground_later_bg.wasm",
                   "autoencoder_playground_bg.wasm", "autoencoder_playground_threads_bg.wasm"]:
        if not (directory / "pkg" / module).exists():
            pytest.fail(f"{directory}/pkg/{module} is not built: run pkg-scripts/build.sh first")
    handler = functools.partial(IsolatingHandler if isolated else QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site():
    """Base URL of www/ served on a free localhost port."""
    server, url = serve_www()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def own_site():
    """www/ served on a port of its own, for a test that takes the network away: (server, URL).
    A service worker registered there stays with that origin, away from the other tests'."""
    server, url = serve_www()
    yield server, url
    server.shutdown()
    server.server_close()


@pytest.fixture
def fresh_browser(driver):
    """Another browser of the same kind as `driver`, with a profile of its own (no cache, no
    service worker, nothing stored): someone else opening a link."""
    with tempfile.TemporaryDirectory() as profile:
        name = driver.capabilities["browserName"]
        browser = start_firefox() if name == "firefox" else start_chromium(profile)
        browser.set_script_timeout(30)
        yield browser
        browser.quit()


def required(program):
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not on PATH (pkg-scripts/test.sh installs it)")
    return path


def start_firefox(service_workers=True):
    """Headless Firefox; `service_workers=False` turns them off in its settings (as some
    private windows have them)."""
    options = webdriver.FirefoxOptions()
    options.binary_location = shutil.which("firefox-esr") or required("firefox")
    if not service_workers:
        options.set_preference("dom.serviceWorkers.enabled", False)
    options.add_argument("-headless")
    options.add_argument(f"--width={WINDOW[0]}")
    options.add_argument(f"--height={WINDOW[1]}")
    service = webdriver.FirefoxService(executable_path=required("geckodriver"))
    return webdriver.Firefox(options=options, service=service)


def start_chromium(profile, service_workers=True):
    """Headless Chromium with a fresh `profile`; `service_workers=False` blocks them the way its
    settings do, by blocking sites' storage ("Block all cookies" blocks service workers too)."""
    options = webdriver.ChromeOptions()
    options.binary_location = required("chromium")
    if not service_workers:
        options.add_experimental_option("prefs", {"profile.default_content_setting_values.cookies": 2})
    for flag in [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ]:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=required("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture(scope="session", params=BROWSERS)
def driver(request):
    """One browser per name in E2E_BROWSERS, shared by the tests of a session."""
    with tempfile.TemporaryDirectory() as profile:
        browser = start_firefox() if request.param == "firefox" else start_chromium(profile)
        browser.set_script_timeout(30)
        yield browser
        browser.quit()


@pytest.fixture
def page(driver, site):
    """The drawing page, loaded afresh, with its model and test digits ready."""
    driver.get(f"{site}/index.html")
    WebDriverWait(driver, 60).until(
        lambda d: "ready" in d.find_element("id", "model-status").text
        and d.find_elements("css selector", "#gallery button")
    )
    return driver
