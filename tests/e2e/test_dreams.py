"""End-to-end tests of the variational autoencoder on the page: "Dream up digits" (the strips of
dreamt digits, the grids over the 2-D planes, loaded only when the section is seen), the
drawing's code shown as a distribution on the latent map, and a VAE trained in the page."""

import math
import re

from selenium.webdriver.support.ui import Select

from drawing import SEVEN, draw, manifest, mean_abs_difference, scroll_to, wait_for_update, wait_until

GRID = 15  # cells per side of each plane's grid (dreams-panel.js)


def fetched(page):
    """The file names the page has fetched so far."""
    return page.execute_script(
        "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop())")


def strip_pixels(page, strip_id):
    """Each canvas of a strip as 784 ink values (dark = 1)."""
    return page.execute_script(
        "return [...document.getElementById(arguments[0]).querySelectorAll('canvas')].map((c) => {"
        "  const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;"
        "  return Array.from({length: 784}, (_, i) => 1 - d[i * 4] / 255); });", strip_id)


def updates(page, element_id):
    return int(page.find_element("id", element_id).get_attribute("data-updates") or 0)


def grid_cells(page, canvas_id):
    """The grid's GRID×GRID cells, each as its 784 ink values, row by row."""
    return page.execute_script(
        "const c = document.getElementById(arguments[0]);"
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "const cells = [];"
        "for (let row = 0; row < arguments[1]; row++) for (let col = 0; col < arguments[1]; col++) {"
        "  const cell = [];"
        "  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {"
        "    cell.push(1 - d[((row * 28 + y) * c.width + col * 28 + x) * 4] / 255); }"
        "  cells.push(cell); }"
        "return cells;", canvas_id, GRID)


def role_file(page, role):
    models = manifest(page)
    return next(m["file"] for m in models["models"] if m["id"] == models["roles"][role])


def test_the_dream_section_loads_only_once_it_is_seen(page):
    first_view = fetched(page)
    section_files = {"dreams-panel.js", *(role_file(page, r) for r in ["generator", "generatorPlane", "codePlane"])}
    for name in section_files:
        assert name not in first_view, f"{name} is fetched in the first view"
    scroll_to(page, "dream")
    wait_until(page, lambda: section_files <= set(fetched(page)), timeout=60)


def test_dream_up_digits_draws_new_strips(page):
    scroll_to(page, "dream")
    wait_until(page, lambda: updates(page, "dream-vae") >= 1 and updates(page, "dream-plain") >= 1, timeout=90)
    vae, plain = strip_pixels(page, "dream-vae"), strip_pixels(page, "dream-plain")
    assert len(vae) == len(plain) == 10
    # Ten digits each, not blank, not all the same.
    for strip in (vae, plain):
        assert all(sum(image) > 5 for image in strip)
        assert mean_abs_difference(strip[0], strip[1]) > 0.01
    seed = page.find_element("id", "dream-seed").text
    button = scroll_to(page, "dream-button")
    button.click()
    wait_until(page, lambda: updates(page, "dream-vae") >= 2 and updates(page, "dream-plain") >= 2)
    assert page.find_element("id", "dream-seed").text != seed
    for before, after in [(vae, strip_pixels(page, "dream-vae")), (plain, strip_pixels(page, "dream-plain"))]:
        changed = sum(mean_abs_difference(a, b) > 0.01 for a, b in zip(before, after))
        assert changed >= 8, f"only {changed} of 10 digits changed"


def test_each_two_number_model_has_a_grid_of_digits(page):
    scroll_to(page, "dream-grid-vae")
    for canvas_id in ["dream-grid-vae", "dream-grid-plain"]:
        wait_until(page, lambda: page.find_element("id", canvas_id).get_attribute("data-cells") == str(GRID * GRID), timeout=90)
        cells = grid_cells(page, canvas_id)
        inked = [sum(cell) for cell in cells]
        assert sum(ink > 10 for ink in inked) >= 0.9 * len(cells), f"{canvas_id}: blank cells {inked}"
        # The corners decode four different codes: four different images.
        corners = [cells[0], cells[GRID - 1], cells[-GRID], cells[-1]]
        for i in range(4):
            for j in range(i + 1, 4):
                assert mean_abs_difference(corners[i], corners[j]) > 0.03, (canvas_id, i, j)
        # Labelled axes.
        assert "z0" in page.find_element("id", f"{canvas_id}-x").text
        assert "z1" in page.find_element("id", f"{canvas_id}-y").text


def select_model(page, model_id):
    Select(page.find_element("id", "model-select")).select_by_value(model_id)
    wait_until(page, lambda: "ready" in page.find_element("id", "model-status").text, timeout=60)


def test_a_variational_drawing_model_shows_the_code_as_a_distribution(page):
    select_model(page, manifest(page)["roles"]["generator"])
    wait_until(page, lambda: page.find_element("id", "latent-map").get_attribute("data-points") == "1996", timeout=60)
    draw(page, SEVEN)
    scroll_to(page, "latent-map")
    wait_until(page, lambda: page.find_element("id", "latent-map").get_attribute("data-cloud") == "200")
    readout = page.find_element("id", "map-distribution")
    assert readout.is_displayed()
    assert "distribution" in readout.text and "±" in readout.text, readout.text
    spread = float(readout.get_attribute("data-spread-x"))
    assert 0 < spread < 10
    # A plain model has a point, not a distribution.
    select_model(page, manifest(page)["roles"]["drawing"])
    draw(page, SEVEN)
    scroll_to(page, "latent-map")
    wait_until(page, lambda: page.find_element("id", "latent-map").get_attribute("data-cloud") is None)
    assert not page.find_element("id", "map-distribution").is_displayed()


def test_a_variational_model_trains_in_the_page_and_draws(page):
    form = page.find_element("id", "training-form")
    beta, dropout = form.find_element("name", "beta"), form.find_element("name", "dropout")
    assert not beta.is_enabled() and dropout.is_enabled()
    Select(form.find_element("name", "dropout")).select_by_value("0.5")
    Select(form.find_element("name", "architecture")).select_by_value("vae")
    # β applies now, dropout does not (a VAE trains without it).
    assert beta.is_enabled() and not dropout.is_enabled()
    assert Select(dropout).first_selected_option.get_attribute("value") == "0"
    assert "KL" in page.find_element("id", "loss-caption").text
    Select(form.find_element("name", "latentSize")).select_by_visible_text("8")
    Select(form.find_element("name", "subsetSize")).select_by_value("500")
    epochs = form.find_element("name", "epochs")
    epochs.clear()
    epochs.send_keys("1")
    beta.clear()
    beta.send_keys("2")
    start = page.find_element("id", "train-start")
    wait_until(page, start.is_enabled, timeout=60)
    start.click()
    status = page.find_element("id", "training-status")
    wait_until(page, lambda: status.get_attribute("data-state") == "done", timeout=120)
    assert status.get_attribute("data-kind") == "info", status.text
    assert int(page.find_element("id", "test-chart").get_attribute("data-points")) == 1
    loss = float(re.search(r"loss ([0-9.]+)", page.find_element("id", "train-progress-text").text).group(1))
    assert math.isfinite(loss) and 0 < loss < 2, loss
    # Back to dense, dropout comes back as it was and β is out of play again.
    Select(form.find_element("name", "architecture")).select_by_value("dense")
    assert Select(dropout).first_selected_option.get_attribute("value") == "0.5" and not beta.is_enabled()

    # "Draw with this model": the trained VAE rebuilds a drawing and shows its code's distribution.
    page.find_element("id", "use-trained").click()
    wait_until(page, lambda: Select(page.find_element("id", "model-select")).first_selected_option.text == "Your VAE (L=8)")
    draw(page, SEVEN)
    wait_for_update(page)
    assert page.execute_script("return document.querySelector('#error [data-mse]') !== null")
    scroll_to(page, "latent-map")
    wait_until(page, lambda: page.find_element("id", "latent-map").get_attribute("data-cloud") == "200", timeout=60)
    assert "variational" in page.find_element("id", "network-caption").text.lower()
