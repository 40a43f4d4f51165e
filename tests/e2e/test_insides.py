"""End-to-end tests of "Inside the network": every layer of the drawing model follows the
drawing, a first-layer unit and a latent number can be chosen with the mouse and the keyboard,
and the section shows the convolutional model's feature maps and a variational model's heads."""

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from drawing import ONE, SEVEN, canvas_pixels, draw, manifest, scroll_to, wait_until

WIDTHS = [784, 512, 256, 128, 64, 32, 64, 128, 256, 512, 784]


def layer_rows(page):
    return page.find_elements("css selector", "#layer-stack .layer-row")


def strip_of(page, place, number=1):
    rows = [r for r in layer_rows(page) if r.get_attribute("data-place") == place]
    return rows[number - 1].find_element("css selector", "canvas")


def open_section(page):
    scroll_to(page, "inside")
    wait_until(page, lambda: len(layer_rows(page)) > 0 or page.find_elements("css selector", "#layer-stack p"), timeout=60)


def test_every_layer_follows_the_drawing(page):
    open_section(page)
    draw(page, SEVEN)
    scroll_to(page, "layer-stack")
    wait_until(page, lambda: len(layer_rows(page)) == len(WIDTHS))
    widths = [int(row.find_element("css selector", "canvas").get_attribute("width")) for row in layer_rows(page)]
    assert widths == WIDTHS
    before = page.execute_script(
        "return [...document.querySelectorAll('#layer-stack canvas')].map((c) => c.toDataURL());")
    active_before = [r.get_attribute("data-active") for r in layer_rows(page)]
    draw(page, ONE, box=(0.6, 0.0, 0.4, 1.0))  # another stroke: a different input
    scroll_to(page, "layer-stack")  # off screen the section waits, and catches up in view

    def changed():
        after = page.execute_script(
            "return [...document.querySelectorAll('#layer-stack canvas')].map((c) => c.toDataURL());")
        return [b != a for b, a in zip(before, after)]
    wait_until(page, lambda: any(changed()))
    assert all(changed()), f"layers that did not change: {[w for w, c in zip(WIDTHS, changed()) if not c]}"
    assert [r.get_attribute("data-active") for r in layer_rows(page)] != active_before


def test_a_unit_and_a_latent_number_can_be_chosen_by_mouse_and_keyboard(page):
    open_section(page)
    draw(page, SEVEN)
    scroll_to(page, "layer-stack")
    wait_until(page, lambda: len(layer_rows(page)) == len(WIDTHS))
    weights = page.find_element("id", "unit-weights")
    assert weights.get_attribute("data-unit") == ""
    strip_of(page, "encoder").click()
    wait_until(page, lambda: weights.get_attribute("data-unit") != "")
    clicked = int(weights.get_attribute("data-unit"))
    assert 0 <= clicked < 512
    assert any(v != 0 for v in canvas_pixels(page, "unit-weights")), "the weight image is blank"
    # From the keyboard: the strip is focused by the click; an arrow moves to the next unit.
    strip_of(page, "encoder").send_keys(Keys.ARROW_RIGHT)
    wait_until(page, lambda: weights.get_attribute("data-unit") == str(min(clicked + 1, 511)))

    step = page.find_element("id", "step-effect")
    code = strip_of(page, "code")
    code.send_keys(Keys.ENTER)  # focused with the keyboard's Enter: the first number
    wait_until(page, lambda: step.get_attribute("data-index") == "0")
    code.click()
    wait_until(page, lambda: step.get_attribute("data-index") not in ("", None))
    assert float(step.get_attribute("data-largest")) > 0, "a unit step in a latent number changes nothing"

    # The gallery of the strongest units chooses too.
    gallery = page.find_elements("css selector", "#unit-gallery button")
    assert len(gallery) == 12
    gallery[3].click()
    label = gallery[3].get_attribute("aria-label")
    wait_until(page, lambda: f"Unit {weights.get_attribute('data-unit')} " in label + " ")


def test_the_conv_model_shows_its_feature_maps_and_a_vae_its_heads(page):
    roles = manifest(page)["roles"]
    open_section(page)
    draw(page, SEVEN)
    select = Select(page.find_element("id", "model-select"))
    select.select_by_value(roles["conv"])
    scroll_to(page, "inside")
    wait_until(page, lambda: page.find_element("id", "inside-feature-maps").get_attribute("data-stages") == "7", timeout=60)
    assert not page.find_element("id", "inside-conv").get_attribute("hidden")
    assert page.find_element("id", "inside-dense").get_attribute("hidden")

    select.select_by_value(roles["generator"])
    scroll_to(page, "layer-stack")
    wait_until(page, lambda: any(r.get_attribute("data-place") == "logVariance" for r in layer_rows(page)), timeout=60)
    places = [r.get_attribute("data-place") for r in layer_rows(page)]
    code_at = places.index("code")
    assert places[code_at + 1] == "logVariance"
    assert "μ" in layer_rows(page)[code_at].text
