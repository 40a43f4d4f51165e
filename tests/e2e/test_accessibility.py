"""Accessibility, checked by a tool and by the keyboard: axe-core (injected from its npm package,
which pkg-scripts/test.sh installs) finds no serious or critical violation, in either browser,
with every panel of the page loaded; and Tab reaches every control."""

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from drawing import SEVEN, draw, manifest, shown_mse, study_cells_rebuilt, wait_for_update, wait_until

AXE_SCRIPT = Path(os.environ.get(
    "AXE_SCRIPT",
    Path.home() / ".cache/autoencoder-playground/axe-core-4.14.1/node_modules/axe-core/axe.min.js"))


def axe_violations(driver):
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"axe-core is not installed at {AXE_SCRIPT} (pkg-scripts/test.sh installs it)")
    driver.execute_script(AXE_SCRIPT.read_text())
    return driver.execute_async_script(
        "const done = arguments[0];"
        "axe.run(document, {resultTypes: ['violations']}).then((result) => done(result.violations.map((v) => ({"
        "  id: v.id, impact: v.impact, help: v.help,"
        "  nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}))));")


def load_every_panel(driver):
    """Scrolls through the page, so that every lazily loaded panel has loaded and drawn."""
    height = driver.execute_script("return document.body.scrollHeight")
    for y in range(0, height, 600):
        driver.execute_script(f"window.scrollTo(0, {y})")
        # A rendered frame at each position: the sections' IntersectionObservers only see
        # where the page was when it rendered, and a scroll past them between frames is missed.
        wait_for_update(driver)
    study = manifest(driver).get("latentSizeStudy", [])
    wait_until(driver, lambda: study_cells_rebuilt(driver, study), timeout=60)


def test_axe_finds_no_serious_or_critical_violation(page):
    draw(page, SEVEN)
    load_every_panel(page)
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious


def test_tab_reaches_every_control_and_enter_uses_one(page):
    # A keyboard user's input: a gallery digit, reached with Tab and chosen with Enter, is rebuilt.
    digit = page.find_element("css selector", "#gallery button")
    for _ in range(40):  # past the section bar's links and the pad's buttons
        ActionChains(page).send_keys(Keys.TAB).perform()
        if page.switch_to.active_element == digit:
            break
    assert page.switch_to.active_element == digit, "Tab does not reach the gallery"
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_until(page, lambda: shown_mse(page) is not None)

    # Every control, going on round the page. Past its end, focus visits the body (and in
    # Firefox the browser's own controls) before it comes back to the top.
    controls = page.execute_script(
        "return [...document.querySelectorAll('button, select, input, textarea, a[href], summary, [tabindex]')]"
        ".filter((e) => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0"
        "  && getComputedStyle(e).visibility !== 'hidden'"
        # A radio group is one stop for Tab (its checked radio); arrow keys move inside it.
        "  && !(e.type === 'radio' && !e.checked"
        "       && document.querySelector(`input[name='${e.name}']:checked`)))")
    assert len(controls) > 30, len(controls)
    body = page.find_element("tag name", "body")
    reached = []
    for _ in range(400):
        ActionChains(page).send_keys(Keys.TAB).perform()
        focused = page.switch_to.active_element
        if focused == body:
            continue
        if focused in reached:
            break
        reached.append(focused)
    missed = [c for c in controls if c not in reached]
    describe = lambda e: e.get_attribute("id") or e.get_attribute("name") or e.get_attribute("outerHTML")[:80]
    assert not missed, [describe(e) for e in missed]
