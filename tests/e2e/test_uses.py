"""End-to-end tests of "what autoencoders are for": the convolutional model's feature maps,
the noise slider with the denoiser, a drawn letter flagged as not a digit, and the anomaly
tests' non-digit probes scored on the page."""

from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from drawing import ONE, SEVEN, ZERO, canvas_pixels, draw, manifest, mean_abs_difference, polyline, scroll_to, wait_until

LETTER_H = [
    [(0.25, 0.12), (0.25, 0.88)],
    [(0.75, 0.12), (0.75, 0.88)],
    [(0.25, 0.5), (0.75, 0.5)],
]

def verdict(page):
    return page.execute_script(
        "const v = document.getElementById('anomaly-verdict');"
        "return [v.dataset.flag ?? '', v.textContent];"
    )


def test_the_feature_maps_show_every_stage(page):
    scroll_to(page, "uses")
    draw(page, SEVEN)
    scroll_to(page, "feature-maps")
    wait_until(page, lambda: page.find_element("id", "feature-maps").get_attribute("data-stages") == "7", timeout=60)
    captions = [c.text for c in page.find_elements("css selector", "#feature-maps figcaption")]
    assert captions[0].startswith("input 28×28") and captions[-1].startswith("output 28×28")
    assert any("14×14" in c for c in captions) and any("7×7" in c for c in captions)
    maps = page.find_elements("css selector", "#feature-maps canvas")
    assert len(maps) == 1 + 8 + 8 + 8 + 8 + 1


def test_noise_goes_in_and_the_denoiser_takes_it_out(page):
    scroll_to(page, "uses")
    page.find_elements("css selector", "#gallery button")[0].click()
    slider = scroll_to(page, "noise-amount")
    wait_until(page, lambda: page.find_element("id", "dn-denoised").get_attribute("data-mse") is not None, timeout=60)
    before = canvas_pixels(page, "dn-noisy")
    slider.send_keys(Keys.END)  # 100 % noise, by keyboard
    wait_until(page, lambda: mean_abs_difference(canvas_pixels(page, "dn-noisy"), before) > 0.02)
    denoised = float(page.find_element("id", "dn-denoised").get_attribute("data-mse"))
    plain = float(page.find_element("id", "dn-plain").get_attribute("data-mse"))
    noisy = float(page.find_element("id", "dn-noisy").get_attribute("data-mse"))
    assert denoised < plain < noisy, f"denoiser {denoised}, plain {plain}, noisy input {noisy}"


def gauge_flag(page):
    """The gauge's flag ("digit", "anomaly" or "")."""
    return page.find_element("id", "anomaly-row").get_attribute("data-flag") or ""


def scoring_model(page):
    """The id of the model the anomaly panel says it scores with ("" while it loads)."""
    return page.find_element("id", "anomaly-model").get_attribute("data-model") or ""


def test_a_drawn_letter_is_flagged_and_a_digit_is_not(page):
    scroll_to(page, "uses")
    wait_until(page, lambda: "Draw something" in verdict(page)[1], timeout=60)
    # It scores with the manifest's detector, and says so.
    detector = manifest(page)["roles"]["detector"]
    assert scoring_model(page) == detector
    assert "Scoring with" in page.find_element("id", "anomaly-model").text
    page.find_elements("css selector", "#gallery button")[0].click()
    # The panel updates while it is on screen (the pointer actions scroll to the pad).
    scroll_to(page, "anomaly-verdict")
    wait_until(page, lambda: verdict(page)[0] == "digit")
    assert gauge_flag(page) == "digit"
    digit_in, digit_out = canvas_pixels(page, "anomaly-input"), canvas_pixels(page, "anomaly-rebuilt")
    page.find_element("id", "clear").click()
    draw(page, LETTER_H)
    scroll_to(page, "anomaly-verdict")
    wait_until(page, lambda: verdict(page)[0] == "anomaly")
    assert "Doesn't look like a digit" in verdict(page)[1]
    assert gauge_flag(page) == "anomaly"
    # The model rebuilds the digit closer to its input than the letter.
    letter_in, letter_out = canvas_pixels(page, "anomaly-input"), canvas_pixels(page, "anomaly-rebuilt")
    assert mean_abs_difference(letter_in, letter_out) > 1.5 * mean_abs_difference(digit_in, digit_out)


FOUR = [polyline([(0.6, 0.12), (0.22, 0.62), (0.8, 0.62)]), polyline([(0.62, 0.35), (0.62, 0.88)])]


def test_digits_drawn_with_the_mouse_are_not_flagged(page):
    """Drawings are ranked among test digits converted like drawings: a drawn digit's pen
    stroke, thinner or bolder than MNIST's, must not make it look like a non-digit."""
    scroll_to(page, "uses")
    wait_until(page, lambda: "Draw something" in verdict(page)[1], timeout=60)
    for name, strokes in [("0", ZERO), ("1", ONE), ("4", FOUR), ("7", SEVEN)]:
        before = verdict(page)[1]
        page.find_element("id", "clear").click()
        draw(page, strokes)
        scroll_to(page, "anomaly-verdict")
        wait_until(page, lambda: verdict(page)[0] != "" and verdict(page)[1] != before)
        assert gauge_flag(page) == "digit", f"a drawn {name}: {verdict(page)[1]}"


def probe_flags(page):
    """{probe name: its flag on the sheet} and the summary's count of flagged probes."""
    flags = page.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('.probe')]"
        ".map((b) => [b.dataset.name, b.dataset.flag ?? '']));"
    )
    return flags, int(page.find_element("id", "probe-summary").get_attribute("data-flagged") or -1)


def test_the_probe_sheet_agrees_with_the_gauge_and_follows_the_model(page):
    scroll_to(page, "probe-sheet")
    wait_until(page, lambda: probe_flags(page)[1] >= 0, timeout=90)
    flags, flagged = probe_flags(page)
    assert len(flags) == 70
    assert flagged == sum(flag == "anomaly" for flag in flags.values())
    assert all(flags[f"noise {n}"] == "anomaly" for n in ["0.50", "1.00"])
    # One probe the sheet flags and one it passes: put on the pad, each gets the same verdict.
    letters = [name for name in flags if name.startswith("letter")]
    for wanted in ["anomaly", "digit"]:
        name = next(n for n in letters if flags[n] == wanted)
        before = verdict(page)[1]
        scroll_to(page, "probe-sheet")
        page.find_element("css selector", f'.probe[data-name="{name}"]').click()
        assert name in page.find_element("id", "pad-status").text
        scroll_to(page, "anomaly-verdict")
        wait_until(page, lambda: verdict(page)[0] != "" and verdict(page)[1] != before)
        assert gauge_flag(page) == wanted, f"{name}: the sheet says {wanted}, the gauge {verdict(page)[1]}"
    # A lower flag percentile, moved by keyboard: more probes and more test digits flagged.
    scroll_to(page, "probe-sheet")
    digits_before = float(page.find_element("id", "probe-summary").get_attribute("data-digits-flagged"))
    slider = scroll_to(page, "flag-percentile")
    slider.send_keys(*[Keys.ARROW_LEFT] * 8)  # 99 → 95, by keyboard
    assert page.find_element("id", "flag-percentile-value").text == "95"
    scroll_to(page, "probe-sheet")
    wait_until(page, lambda: probe_flags(page)[1] > flagged)
    digits_after = float(page.find_element("id", "probe-summary").get_attribute("data-digits-flagged"))
    assert digits_before <= 1.5 and 4 <= digits_after <= 6, f"{digits_before} % → {digits_after} %"
    assert "95th percentile" in page.find_element("id", "probe-summary").text
    # Scoring with the drawing model instead, then another drawing model, rescores the sheet
    # (natively the 2-number plane model flags 40 % of the probes and the tuned model 63 %).
    models = manifest(page)
    drawing = page.find_element("id", "model-select").get_attribute("value")
    summary = page.find_element("id", "probe-summary")
    Select(scroll_to(page, "anomaly-source")).select_by_value("drawing")
    wait_until(page, lambda: scoring_model(page) == drawing, timeout=30)
    name = lambda id: next(m["name"] for m in models["models"] if m["id"] == id)
    # The sheet rescores when it is on screen (70 reconstructions are not worth doing unseen).
    scroll_to(page, "probe-sheet")
    assert name(drawing) != name(models["roles"]["detector"]), "the test needs two different models"
    wait_until(page, lambda: summary.get_attribute("data-model") == name(drawing), timeout=90)
    flagged = probe_flags(page)[1]
    other = models["roles"]["codePlane"]
    page.execute_script(
        "const s = document.getElementById('model-select'); s.value = arguments[0];"
        "s.dispatchEvent(new Event('change'));", other
    )
    scroll_to(page, "probe-sheet")
    wait_until(page, lambda: summary.get_attribute("data-model") == name(other), timeout=90)
    assert probe_flags(page)[1] != flagged
    assert "95th percentile" in summary.text
    assert scoring_model(page) == other


# The page's own anomaly path, as drawn: what the gauge shows for a drawing is what the Rust
# export gives for the same pad pixels, with the same model and test digits.
EXPORT_SCORE = """
const done = arguments[arguments.length - 1];
(async () => {
  const wasm = await import(new URL("pkg/autoencoder_playground_inference.js", location.href));
  // Firefox runs this script in a realm of its own, with its own instance of the module.
  await wasm.default();
  const { fetchBytes, fetchDataFile, TEST_DIGITS_URL } = await import(new URL("js/shared.js", location.href));
  const manifest = await (await fetch("models/manifest.json")).json();
  const entry = manifest.models.find((m) => m.id === arguments[0]);
  const model = wasm.Autoencoder.load(await fetchBytes(`models/${entry.file}`));
  const data = wasm.MnistSubset.load(await fetchDataFile(TEST_DIGITS_URL));
  const detector = new wasm.AnomalyDetector(model, data);
  while (!detector.fitSome(data, 500));
  const pad = document.getElementById("draw-canvas");
  const rgba = pad.getContext("2d").getImageData(0, 0, pad.width, pad.height).data;
  const score = detector.score(wasm.drawingToMnist(rgba, pad.width, pad.height));
  detector.free(); model.free(); data.free();
  return { error: score.error, percentile: score.percentile, flagged: score.flagged };
})().then(done, (error) => done({ failure: String(error) }));
"""


def test_the_gauge_shows_the_exported_detectors_score_of_the_drawing(page):
    scroll_to(page, "uses")
    wait_until(page, lambda: "Draw something" in verdict(page)[1], timeout=60)
    draw(page, SEVEN)
    scroll_to(page, "anomaly-verdict")
    wait_until(page, lambda: verdict(page)[0] != "")
    shown = page.execute_script(
        "const v = document.getElementById('anomaly-verdict').dataset;"
        "return { error: Number(v.error), percentile: Number(v.percentile), flagged: v.flag === 'anomaly' };")
    expected = page.execute_async_script(EXPORT_SCORE, scoring_model(page))
    assert "failure" not in expected, expected["failure"]
    assert shown == expected


def codec_rows(page):
    """Each row of the codec table: {id: (bytes, mse)} for the rows that have figures."""
    return page.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#codec-table tbody tr')]"
        ".filter((r) => r.dataset.mse).map((r) => [r.id.replace('codec-', ''), [Number(r.dataset.bytes), Number(r.dataset.mse)]]));")


def test_the_codec_table_sizes_and_scores_a_drawn_digit(page):
    draw(page, SEVEN)
    scroll_to(page, "codec-panel")
    wait_until(page, lambda: len(codec_rows(page)) == 7, timeout=30)
    rows = codec_rows(page)
    latent = int(page.execute_script("return document.querySelectorAll('#latent > *').length"))
    assert rows["ae-float"][0] == 4 * latent and rows["ae-bytes"][0] == latent + 8
    assert rows["pixels"] == [784, rows["pixels"][1]] and rows["pixels"][1] < 1e-5
    # A byte per number costs the code almost nothing; the code rebuilds the drawn 7 closely.
    assert abs(rows["ae-bytes"][1] - rows["ae-float"][1]) < 0.002 and rows["ae-float"][1] < 0.06
    # At its lowest quality JPEG still needs far more bytes than the code.
    assert rows["jpeg"][0] > 5 * rows["ae-bytes"][0], rows
    for cell in page.find_elements("css selector", "#codec-table tbody canvas"):
        assert sum(canvas_pixels(page, cell)) > 5
    # A new drawing changes the figures.
    page.find_element("id", "clear").click()
    draw(page, ONE)
    scroll_to(page, "codec-panel")
    wait_until(page, lambda: codec_rows(page).get("ae-float", [0, 0])[1] != rows["ae-float"][1], timeout=30)
