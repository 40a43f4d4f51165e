"""End-to-end tests of what a visitor takes away and brings back: a link to a drawing, the page
without a network, and model files that are not what they claim."""

import json
import struct
import zlib
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from drawing import SEVEN, canvas_pixels, draw, latent_values, manifest, shown_mse, wait_until

MODELS = Path(__file__).resolve().parents[2] / "www" / "models"


def wait_ready(driver):
    wait_until(driver, lambda: "ready" in driver.find_element("id", "model-status").text, timeout=60)


def test_a_copied_link_opens_the_same_drawing_with_the_same_model_elsewhere(page, fresh_browser):
    # A shipped model other than the one the page opens with: the link must carry it.
    models = manifest(page)
    chosen = next(m["id"] for m in models["models"] if m["id"] != models["roles"]["drawing"])
    Select(page.find_element("id", "model-select")).select_by_value(chosen)
    wait_ready(page)
    draw(page, SEVEN)
    model_input = canvas_pixels(page, "model-input")
    code = latent_values(page)
    page.find_element("id", "copy-link").click()
    status = page.find_element("id", "pad-status")
    wait_until(page, lambda: "link" in status.text.lower())
    link = page.current_url
    assert "#drawing=" in link and f"model={chosen}" in link, link

    fresh_browser.set_window_size(*page.get_window_size().values())
    fresh_browser.get(link)
    wait_ready(fresh_browser)
    wait_until(fresh_browser, lambda: shown_mse(fresh_browser) is not None)
    assert fresh_browser.find_element("id", "model-select").get_attribute("value") == chosen
    assert canvas_pixels(fresh_browser, "model-input") == model_input, "the model input differs"
    assert latent_values(fresh_browser) == pytest.approx(code, abs=1e-3)


@pytest.mark.parametrize("fragment", [
    "#drawing=AAA!", "#drawing=AAAAA", "#drawing=AAAA&model=no-such-model", "#digit=seven",
    "#drawing=AAAA&section=nowhere",
])
def test_a_damaged_link_leaves_the_pad_empty_and_says_so(driver, site, fragment):
    driver.get("about:blank")  # a fragment alone would not reload the page
    driver.get(f"{site}/index.html{fragment}")
    wait_ready(driver)
    status = driver.find_element("id", "pad-status")
    wait_until(driver, lambda: "damaged" in status.text)
    assert shown_mse(driver) is None and sum(canvas_pixels(driver, "model-input")) == 0
    # The page works as without a link.
    draw(driver, SEVEN)
    assert shown_mse(driver) is not None


def test_a_page_visited_once_works_without_the_network_training_included(driver, own_site):
    server, url = own_site
    driver.get(f"{url}/index.html")
    wait_ready(driver)
    offline = driver.find_element("id", "offline-status")
    wait_until(driver, lambda: "Kept for use offline" in offline.text, timeout=60)
    keep_training = driver.find_element("id", "keep-training")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", keep_training)
    keep_training.click()
    wait_until(driver, lambda: "and training" in offline.text, timeout=60, seen=lambda: offline.text)
    server.shutdown()
    server.server_close()
    # Opened again, as a visitor would (Firefox's WebDriver reload bypasses service workers).
    driver.get("about:blank")
    driver.get(f"{url}/index.html")
    wait_ready(driver)
    draw(driver, SEVEN)
    assert shown_mse(driver) is not None, "not rebuilt offline"
    assert sum(canvas_pixels(driver, "reconstruction")) > 20
    # Training, whose Worker, module and digits come from the kept copies.
    Select(driver.find_element("name", "subsetSize")).select_by_value("500")
    start = driver.find_element("id", "train-start")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
    wait_until(driver, start.is_enabled)
    start.click()
    wait_until(driver, lambda: driver.execute_script(
        "return Number(document.getElementById('train-progress').value) > 0"), timeout=60)
    driver.find_element("id", "train-stop").click()


def file_with_header(shipped, header):
    """`shipped` (a model file's bytes) with another JSON header, lengths and checksum fixed."""
    header_len, weights_len = struct.unpack_from("<II", shipped, 12)
    weights = shipped[24 + header_len:]
    checked = json.dumps(header).encode() + weights
    return shipped[:12] + struct.pack("<III", len(checked) - len(weights), weights_len, zlib.crc32(checked)) + checked


def future_version(shipped):
    return shipped[:8] + struct.pack("<I", 9) + shipped[12:]


def other_architecture(shipped):
    header_len = struct.unpack_from("<I", shipped, 12)[0]
    header = json.loads(shipped[24:24 + header_len])
    # A kind no build knows ("vae" was the example until the variational model arrived).
    header["architecture"]["kind"] = "transformer"
    return file_with_header(shipped, header)


def oversized(shipped):
    return shipped + bytes(21_000_000)


@pytest.mark.parametrize("make, reason", [
    (future_version, "newer build"),
    (other_architecture, '"transformer" autoencoder'),
    (oversized, "larger than any model file"),
    (lambda shipped: shipped[:len(shipped) // 2], "truncated"),
])
def test_a_model_file_that_is_not_for_this_page_is_refused_with_the_reason(page, tmp_path, make, reason):
    draw(page, SEVEN)
    before = latent_values(page)
    bad = tmp_path / "model.aepg"
    shipped = json.loads((MODELS / "manifest.json").read_text())["models"][0]["file"]
    bad.write_bytes(make((MODELS / shipped).read_bytes()))
    page.find_element("id", "model-file").send_keys(str(bad))
    status = page.find_element("id", "model-status")
    wait_until(page, lambda: "model.aepg is not a model" in status.text)
    assert reason in status.text and status.get_attribute("data-kind") == "error", status.text
    assert latent_values(page) == before, "the current model changed"


def test_the_section_navigation_reaches_every_section_from_the_keyboard_and_marks_the_one_in_view(page):
    page.set_window_size(1280, 900)
    nav = page.find_element("id", "section-nav")
    links = nav.find_elements("css selector", "a")
    sections = page.execute_script(
        "return [...document.querySelectorAll('main > section[id]')].map((s) => s.id)")
    # Every section a link can name has its entry, in the page's order.
    assert [link.get_attribute("hash") for link in links] == [f"#{id}" for id in sections]
    marked = lambda: [m.get_attribute("hash") for m in nav.find_elements("css selector", "a[aria-current]")]
    for link, section in list(zip(links, sections))[1:]:
        link.send_keys(Keys.ENTER)  # a focused link followed with Enter, as from the keyboard
        # A section that comes into view loads and grows; the mark follows once it settles.
        wait_until(page, lambda: marked() == [f"#{section}"], seen=marked)
        # The section's heading is not hidden under the bar that stays at the top.
        bar_bottom, heading_top = page.execute_script(
            "const h = document.getElementById(arguments[0]).querySelector('h2, figure, figcaption');"
            "return [arguments[1].getBoundingClientRect().bottom, h.getBoundingClientRect().top];",
            section, nav)
        assert heading_top >= bar_bottom - 1, (section, bar_bottom, heading_top)
