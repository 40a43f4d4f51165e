"""Helpers that act on the drawing page like a person would, and read what it shows."""

import json
import math

from selenium.webdriver.common.actions import interaction
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.actions.pointer_input import PointerInput
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait


def draw(driver, strokes, box=(0.0, 0.0, 1.0, 1.0), touch=False, canvas_id="draw-canvas"):
    """Draws `strokes` (lists of (x, y) in 0…1) on #draw-canvas (or `canvas_id`) with real mouse
    actions (or a finger's, with `touch`), mapped into `box` = (left, top, width, height), also
    in 0…1 of the pad."""
    canvas = driver.find_element("id", canvas_id)
    # As a person would, bring the pad into view first (the page may have scrolled).
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    size = canvas.size
    left, top, width, height = box
    mouse = PointerInput(*((interaction.POINTER_TOUCH, "finger") if touch else (interaction.POINTER_MOUSE, "mouse")))
    actions = ActionBuilder(driver, mouse=mouse, duration=15)

    def to_offset(x, y):
        # WebDriver measures element offsets from the element's centre.
        return (
            round((left + x * width - 0.5) * size["width"]),
            round((top + y * height - 0.5) * size["height"]),
        )

    for stroke in strokes:
        actions.pointer_action.move_to(canvas, *to_offset(*stroke[0]))
        actions.pointer_action.pointer_down()
        for point in stroke[1:]:
            actions.pointer_action.move_to(canvas, *to_offset(*point))
        actions.pointer_action.pointer_up()
    actions.perform()
    wait_for_update(driver)


def wait_for_update(driver):
    """Waits two animation frames, after which the page has drawn the last change."""
    driver.execute_async_script(
        "const done = arguments[0];"
        "requestAnimationFrame(() => requestAnimationFrame(() => done()));"
    )


def polyline(points, steps_per_segment=8):
    """Points along straight segments, close enough together to look like a real drag."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        for step in range(1, steps_per_segment + 1):
            t = step / steps_per_segment
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return out


def ellipse(cx, cy, rx, ry, points=48):
    return [
        (cx + rx * math.sin(2 * math.pi * i / points), cy - ry * math.cos(2 * math.pi * i / points))
        for i in range(points + 1)
    ]


ONE = [polyline([(0.55, 0.12), (0.5, 0.88)])]
ZERO = [ellipse(0.5, 0.5, 0.24, 0.36)]
SEVEN = [polyline([(0.22, 0.15), (0.78, 0.15), (0.42, 0.88)])]


def latent_values(driver):
    """The numbers in #latent's children (data-value), None for an empty one."""
    raw = driver.execute_script(
        "return [...document.querySelectorAll('#latent > *')].map((e) => e.dataset.value);"
    )
    return [float(v) if v else None for v in raw]


def canvas_pixels(driver, canvas):
    """A 28×28 canvas (an id, or the element) as 784 ink values in 0…1 (dark = 1), as the page
    painted them."""
    return driver.execute_script(
        "const c = typeof arguments[0] === 'string' ? document.getElementById(arguments[0]) : arguments[0];"
        "const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;"
        "return Array.from({length: 784}, (_, i) => 1 - d[i * 4] / 255);",
        canvas,
    )


def shown_mse(driver):
    """The MSE shown in #error, or None when it shows none."""
    # One script, not find-then-read: the page rewrites #error on every update.
    value = driver.execute_script(
        "return document.querySelector('#error [data-mse]')?.dataset.mse ?? null;"
    )
    return float(value) if value is not None else None


def manifest(driver):
    return json.loads(driver.execute_async_script(
        "const done = arguments[0];"
        "fetch('models/manifest.json').then((r) => r.text()).then(done);"
    ))


def mean_abs_difference(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a)


def wait_until(driver, predicate, timeout=30, seen=None):
    """Waits for `predicate()`; on a timeout the failure says what `seen()` (if given) shows."""
    try:
        return WebDriverWait(driver, timeout).until(lambda d: predicate())
    except TimeoutException:
        if seen is None:
            raise
        raise AssertionError(f"not within {timeout} s; the page shows: {seen()!r}") from None


def scroll_to(driver, element_id):
    """Scrolls the element with `element_id` to the middle of the view (sections load their
    models when they come into view) and returns it."""
    element = driver.find_element("id", element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    return element


def study_cells_rebuilt(driver, models):
    """Whether the latent-size study shows a cell for each of its `models` (the manifest's
    `latentSizeStudy`), each with the input rebuilt (its MSE). The cells exist once the study's
    section has been seen."""
    cells = driver.find_elements("css selector", "#size-row .size-cell")
    return len(cells) == len(models) > 0 and all(c.get_attribute("data-mse") for c in cells)
