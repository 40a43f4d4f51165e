"""End-to-end tests of the training module's choice (www/js/training-module.js): served with the
cross-origin isolation headers the training Worker trains on every core; served without them,
in a browser whose service workers are blocked (so nothing can add the headers), it trains on
one thread; and the same seeded run gives the same test MSE either way. Served without them
to a browser with service workers, the page's own (www/sw.js) adds them and the page reloads
once, isolated. Real headless Firefox and Chromium."""

import tempfile

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select

from conftest import serve_www, start_chromium, start_firefox
from drawing import wait_until

# A fixed seeded run: one epoch over 2,000 digits, batches of 64 (large enough that the matrix
# products of the 784→512 layers are split across threads).
RUN = {"subsetSize": "2000", "batchSize": "64", "latentSize": "16", "epochs": "1", "seed": "7"}


def open_training_panel(driver, url):
    driver.get(f"{url}/index.html")
    wait_until(driver, lambda: "ready" in driver.find_element("id", "model-status").text, timeout=60)
    wait_until(driver, lambda: driver.find_element("id", "train-start").is_enabled(), timeout=60)


def train_seeded_run(driver):
    """Runs RUN from the training panel to its end: (threads the panel reported, test MSE)."""
    form = driver.find_element("id", "training-form")
    Select(form.find_element("name", "subsetSize")).select_by_value(RUN["subsetSize"])
    for name in ["batchSize", "latentSize"]:
        Select(form.find_element("name", name)).select_by_visible_text(RUN[name])
    for name in ["epochs", "seed"]:
        field = form.find_element("name", name)
        field.clear()
        field.send_keys(RUN[name])
    driver.find_element("id", "train-start").click()
    status = driver.find_element("id", "training-status")
    wait_until(driver, lambda: status.get_attribute("data-threads") is not None, timeout=90, seen=lambda: status.text)
    threads = int(status.get_attribute("data-threads"))
    progress = driver.find_element("id", "train-progress-text")
    wait_until(driver, lambda: "thread" in progress.text, seen=lambda: progress.text)
    assert (f"on {threads} thread") in progress.text, progress.text
    wait_until(driver, lambda: status.get_attribute("data-state") == "done", timeout=180, seen=lambda: status.text)
    assert status.get_attribute("data-kind") == "info", status.text
    mse = driver.find_element("id", "test-chart").get_attribute("data-last-test-mse")
    assert mse is not None, "the run finished without a test MSE"
    return threads, float(mse)


@pytest.fixture
def browser_without_service_workers(driver):
    """A browser of the same kind as `driver` whose settings block service workers."""
    with tempfile.TemporaryDirectory() as profile:
        name = driver.capabilities["browserName"]
        if name == "firefox":
            browser = start_firefox(service_workers=False)
        else:
            browser = start_chromium(profile, service_workers=False)
        browser.set_script_timeout(30)
        yield browser
        browser.quit()


def test_isolated_and_plain_hosts_train_the_same_run_on_all_cores_and_on_one(driver, browser_without_service_workers):
    isolated_server, isolated_url = serve_www(isolated=True)
    plain_server, plain_url = serve_www(isolated=False)
    try:
        open_training_panel(driver, isolated_url)
        assert driver.execute_script("return self.crossOriginIsolated") is True
        cores = driver.execute_script("return navigator.hardwareConcurrency")
        threaded, threaded_mse = train_seeded_run(driver)

        plain = browser_without_service_workers
        open_training_panel(plain, plain_url)
        assert plain.execute_script("return self.crossOriginIsolated") is False
        single, single_mse = train_seeded_run(plain)
    finally:
        for server in [isolated_server, plain_server]:
            server.shutdown()
            server.server_close()

    assert threaded == cores and threaded > 1, f"{threaded} threads on {cores} cores"
    assert single == 1
    assert abs(threaded_mse - single_mse) <= 0.01 * single_mse, (threaded_mse, single_mse)


def test_the_service_worker_isolates_a_page_its_host_serves_without_the_headers(driver):
    server, url = serve_www(isolated=False)
    try:
        driver.get(f"{url}/index.html")
        assert driver.execute_script("return self.crossOriginIsolated") is False

        def isolated():
            try:
                return driver.execute_script("return self.crossOriginIsolated && !!navigator.serviceWorker.controller")
            except WebDriverException:
                return False  # the page is reloading

        # Once the first view is done the service worker takes control, and the page reloads.
        wait_until(driver, isolated, timeout=60)
        open_training_panel(driver, url)
        assert isolated(), "the page lost its isolation when loaded again"
        threads, _ = train_seeded_run(driver)
    finally:
        server.shutdown()
        server.server_close()
    assert threads > 1
