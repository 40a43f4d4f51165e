"""End-to-end tests of "Teach it a new shape": a shape drawn three times and added, taught to a
copy of the drawing model in the Worker, rebuilt better after; pictures added from files and a
non-image refused; the collection kept across a reload, exported and imported."""

import base64
import struct
import zlib

from selenium.webdriver.support.ui import Select

from drawing import draw, polyline, scroll_to, wait_until
from test_accessibility import axe_violations

# A capital K three ways: the page's conversion makes them the same size, so the differences
# are in the strokes.
K_SHAPES = [
    [polyline([(0.3, 0.15), (0.3, 0.85)]), polyline([(0.7, 0.15), (0.32, 0.5), (0.72, 0.85)])],
    [polyline([(0.28, 0.12), (0.33, 0.88)]), polyline([(0.75, 0.2), (0.34, 0.52), (0.68, 0.9)])],
    [polyline([(0.32, 0.1), (0.29, 0.86)]), polyline([(0.66, 0.12), (0.31, 0.47), (0.76, 0.8)])],
]


def fetched(page):
    return page.execute_script(
        "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop())")


def open_section(page):
    """Scrolls to the section and waits for its collection to be read from the browser's store."""
    scroll_to(page, "shapes")
    wait_until(page, lambda: page.execute_script(
        "return document.getElementById('shapes-body').dataset.restored === 'true'"), timeout=60)


def example_count(page):
    return int(page.find_element("id", "shape-count").get_attribute("data-count"))


def remove_all(page):
    if example_count(page):
        scroll_to(page, "shape-clear").click()
        wait_until(page, lambda: example_count(page) == 0)


def png(width, height, inked):
    """A PNG of white paper with black where `inked(x, y)`."""
    rows = b"".join(
        b"\x00" + b"".join(b"\x00\x00\x00" if inked(x, y) else b"\xff\xff\xff" for x in range(width))
        for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_the_section_loads_only_once_it_is_seen(page):
    # The section's Rust is in the training module, which the first view does not fetch.
    section_files = {"shapes-panel.js", "shape-teacher.js", "shapes-markup.js", "shapes.css",
                     "autoencoder_playground_bg.wasm"}
    assert not section_files & set(fetched(page)), "the section's files are in the first view"
    open_section(page)
    wait_until(page, lambda: section_files <= set(fetched(page)))


def test_teach_a_drawn_shape_and_it_rebuilds_better(page):
    open_section(page)
    remove_all(page)
    name = page.find_element("id", "shape-name")
    name.send_keys("K\n")
    for strokes in K_SHAPES:
        draw(page, strokes, box=(0.1, 0.1, 0.8, 0.8), canvas_id="shape-canvas")
        scroll_to(page, "shape-add").click()
    wait_until(page, lambda: example_count(page) == 3)
    # The drawing model's gauge ranks each example among the test digits.
    wait_until(page, lambda: len(page.find_elements("css selector", ".shape-rebuilt[data-model=before][data-percentile]")) == 3, timeout=60)

    form = page.find_element("id", "shape-form")
    Select(form.find_element("name", "steps")).select_by_value("100")
    scroll_to(page, "shape-train").click()
    status = page.find_element("id", "shape-train-status")
    wait_until(page, lambda: status.get_attribute("data-state") == "done", timeout=180)
    results = page.find_element("id", "shape-results")
    before = float(results.get_attribute("data-examples-before"))
    after = float(results.get_attribute("data-examples-after"))
    assert after < 0.7 * before, f"the examples' median MSE went from {before} to {after}"
    assert float(results.get_attribute("data-digits-after")) > 0
    # Each example rebuilt by the taught model, and the gauge recalibrated on digits and examples.
    scroll_to(page, "shape-recalibrate").click()
    wait_until(page, lambda: len(page.find_elements("css selector", ".shape-rebuilt[data-model=after][data-percentile]")) == 3, timeout=60)
    # The section filled in (examples, both models' reconstructions, results) stays accessible.
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    scroll_to(page, "shape-use").click()
    wait_until(page, lambda: "Taught" in Select(page.find_element("id", "model-select")).first_selected_option.text)
    remove_all(page)


def test_pictures_are_added_and_a_non_image_is_refused(page, tmp_path):
    open_section(page)
    remove_all(page)
    picture = tmp_path / "bar.png"
    picture.write_bytes(png(120, 90, lambda x, y: 30 <= y < 60 and 40 <= x < 52 or 20 <= x < 100 and 30 <= y < 40))
    note = tmp_path / "notes.txt"
    note.write_text("not a picture")
    files = page.find_element("id", "shape-files")
    files.send_keys(str(picture))
    wait_until(page, lambda: example_count(page) == 1)
    status = page.find_element("id", "shape-drop-status")
    assert "added" in status.text
    files.send_keys(str(note))
    wait_until(page, lambda: "refused" in status.text)
    assert "notes.txt refused: it is not a PNG, JPEG or WebP image" in status.text
    assert status.get_attribute("data-kind") == "error"
    assert example_count(page) == 1

    # Kept across a reload.
    page.refresh()
    wait_until(page, lambda: "ready" in page.find_element("id", "model-status").text, timeout=60)
    open_section(page)
    wait_until(page, lambda: example_count(page) == 1)

    # Exported, then imported into an emptied collection; a damaged copy is refused.
    # The file the page hands to the browser to save, caught on its way (a blob: URL cannot be
    # fetched under the page's CSP, so the Blob itself is read).
    page.execute_script(
        "window.exported = null;"
        "const create = URL.createObjectURL;"
        "URL.createObjectURL = (blob) => {"
        "  blob.arrayBuffer().then((b) => { window.exported = btoa(String.fromCharCode(...new Uint8Array(b))); });"
        "  return create(blob); };"
        "HTMLAnchorElement.prototype.click = () => {};")
    scroll_to(page, "shape-export").click()
    wait_until(page, lambda: page.execute_script("return window.exported"))
    exported = base64.b64decode(page.execute_script("return window.exported"))
    remove_all(page)
    damaged = bytearray(exported)
    damaged[200] ^= 1
    (tmp_path / "damaged.aepgshape").write_bytes(bytes(damaged))
    (tmp_path / "shape.aepgshape").write_bytes(exported)
    page.find_element("id", "shape-import").send_keys(str(tmp_path / "damaged.aepgshape"))
    shape_status = page.find_element("id", "shape-status")
    wait_until(page, lambda: "refused" in shape_status.text)
    assert "checksum" in shape_status.text and example_count(page) == 0
    page.find_element("id", "shape-import").send_keys(str(tmp_path / "shape.aepgshape"))
    wait_until(page, lambda: example_count(page) == 1)
    assert "1 example imported" in shape_status.text
    remove_all(page)


def test_a_picture_dropped_on_the_zone_is_added_and_a_dropped_non_image_refused(page):
    # WebDriver cannot drag a file from the desktop; the page gets what a browser delivers for
    # one: dragover, then a drop event whose DataTransfer holds the File.
    open_section(page)
    remove_all(page)
    picture = base64.b64encode(png(64, 64, lambda x, y: 16 <= x < 48 and 28 <= y < 36)).decode()
    drop = (
        "const [name, type, base64] = arguments;"
        "const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));"
        "const transfer = new DataTransfer();"
        "transfer.items.add(new File([bytes], name, { type }));"
        "const zone = document.getElementById('shape-drop');"
        "zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));"
        "zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));")
    scroll_to(page, "shape-drop")
    page.execute_script(drop, "bar.png", "image/png", picture)
    wait_until(page, lambda: example_count(page) == 1)
    status = page.find_element("id", "shape-drop-status")
    assert "added" in status.text
    page.execute_script(drop, "notes.txt", "text/plain", base64.b64encode(b"not a picture").decode())
    wait_until(page, lambda: "refused" in status.text)
    assert "notes.txt refused" in status.text and example_count(page) == 1
    remove_all(page)


def teaching_step(page):
    return int(page.find_element("id", "shape-progress-text").get_attribute("data-step") or 0)


def test_teaching_pauses_resumes_and_stops_keeping_its_weights(page):
    open_section(page)
    remove_all(page)
    draw(page, K_SHAPES[0], box=(0.1, 0.1, 0.8, 0.8), canvas_id="shape-canvas")
    scroll_to(page, "shape-add").click()
    wait_until(page, lambda: example_count(page) == 1)
    Select(page.find_element("id", "shape-form").find_element("name", "steps")).select_by_value("1500")
    scroll_to(page, "shape-train").click()
    status = page.find_element("id", "shape-train-status")
    wait_until(page, lambda: teaching_step(page) >= 5, timeout=120)
    page.find_element("id", "shape-pause").click()
    wait_until(page, lambda: status.get_attribute("data-state") == "paused")
    paused_at = teaching_step(page)
    page.execute_script("return new Promise((resolve) => setTimeout(resolve, 500))")
    assert teaching_step(page) == paused_at, "the run moved while paused"
    page.find_element("id", "shape-pause").click()
    wait_until(page, lambda: teaching_step(page) > paused_at)
    page.find_element("id", "shape-stop").click()
    wait_until(page, lambda: status.get_attribute("data-state") == "done")
    assert "Stopped" in status.text
    assert page.find_element("id", "shape-use").is_enabled()
    assert teaching_step(page) < 1500
    remove_all(page)


def test_a_named_shape_becomes_a_class_beside_the_digits(page):
    open_section(page)
    remove_all(page)
    name = page.find_element("id", "shape-name")
    name.clear()
    name.send_keys("K\n")
    for strokes in K_SHAPES:
        draw(page, strokes, box=(0.1, 0.1, 0.8, 0.8), canvas_id="shape-canvas")
        scroll_to(page, "shape-add").click()
    wait_until(page, lambda: example_count(page) == 3)
    # The in-page softmax of "Reuse the encoder" takes it as an eleventh class.
    scroll_to(page, "reuse")
    wait_until(page, lambda: page.find_element("id", "reuse-train").is_enabled(), timeout=60)
    Select(page.find_element("id", "reuse-labels")).select_by_value("100")
    scroll_to(page, "reuse-train").click()
    status = page.find_element("id", "reuse-train-status")
    wait_until(page, lambda: "eleventh class" in status.text, timeout=120)
    assert "“K”" in status.text
    assert page.find_element("id", "reuse-mine").get_attribute("data-classes") == "11"
    # A K drawn on the page's pad is named K by it.
    draw(page, K_SHAPES[1], box=(0.1, 0.1, 0.8, 0.8))
    scroll_to(page, "reuse")
    wait_until(page, lambda: (page.find_element("id", "reuse-mine-list").get_attribute("data-top") or "").startswith("K"))
    open_section(page)
    remove_all(page)
