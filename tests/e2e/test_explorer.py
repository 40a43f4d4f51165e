"""End-to-end tests of the latent-space explorer: sliders, interpolation, the map of the test
digits and the latent-size study, driven with real pointer and keyboard input."""

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from drawing import SEVEN, canvas_pixels, draw, latent_values, manifest, mean_abs_difference, study_cells_rebuilt, wait_until


def attribute(page, element_id, name):
    return page.find_element("id", element_id).get_attribute(name)


def scroll_to(page, element):
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)


def test_a_slider_changes_the_decoded_image(page):
    draw(page, SEVEN)
    wait_until(page, lambda: page.find_elements("css selector", "#sliders input"))
    # The sliders follow the drawing while they are on screen.
    slider = page.find_element("css selector", "#sliders input")
    scroll_to(page, slider)
    wait_until(page, lambda: mean_abs_difference(canvas_pixels(page, "slider-decoded"), canvas_pixels(page, "reconstruction")) < 0.02)
    before = canvas_pixels(page, "slider-decoded")
    slider.click()
    slider.send_keys(Keys.END)  # the keyboard moves it to +3 standard deviations
    wait_until(page, lambda: mean_abs_difference(canvas_pixels(page, "slider-decoded"), before) > 0.01)

    page.find_element("id", "sliders-reset").click()
    wait_until(page, lambda: mean_abs_difference(canvas_pixels(page, "slider-decoded"), before) < 1e-6)


def test_interpolation_runs_from_a_to_b(page):
    wait_until(page, lambda: len(page.find_elements("css selector", "#interp-latent canvas")) == 9)
    draw(page, SEVEN)
    button = page.find_element("id", "interp-set-a")
    scroll_to(page, button)
    button.click()
    latent = page.find_elements("css selector", "#interp-latent canvas")
    pixels = page.find_elements("css selector", "#interp-pixels canvas")
    assert len(latent) == len(pixels) == 9
    first = page.execute_script(
        "const d = arguments[0].getContext('2d').getImageData(0, 0, 28, 28).data;"
        "return Array.from({length: 784}, (_, i) => 1 - d[i * 4] / 255);", latent[0])
    # The first latent frame decodes A's own code: the drawing's reconstruction.
    assert mean_abs_difference(first, canvas_pixels(page, "reconstruction")) < 0.02
    # The first pixel frame is A itself: the model input.
    first_pixels = page.execute_script(
        "const d = arguments[0].getContext('2d').getImageData(0, 0, 28, 28).data;"
        "return Array.from({length: 784}, (_, i) => 1 - d[i * 4] / 255);", pixels[0])
    assert mean_abs_difference(first_pixels, canvas_pixels(page, "model-input")) < 0.01


def test_the_map_shows_every_test_digit_and_a_click_decodes(page):
    wait_until(page, lambda: attribute(page, "latent-map", "data-points") == "1996")
    draw(page, SEVEN)
    latent_map = page.find_element("id", "latent-map")
    scroll_to(page, latent_map)  # the map catches up with the drawing once it is seen
    wait_until(page, lambda: attribute(page, "latent-map", "data-marker") is not None)
    marker = attribute(page, "latent-map", "data-marker")

    ActionChains(page).move_to_element_with_offset(latent_map, 30, -40).click().perform()
    wait_until(page, lambda: attribute(page, "map-decoded", "data-sum") is not None)
    assert float(attribute(page, "map-decoded", "data-sum")) > 5, "the decoded point shows ink"
    assert "PCA" in page.find_element("id", "map-caption").text

    clear = page.find_element("id", "clear")
    scroll_to(page, clear)  # not under the section bar at the top of the window
    clear.click()
    draw(page, [[(0.5, 0.12), (0.5, 0.88)]])
    scroll_to(page, latent_map)
    wait_until(page, lambda: attribute(page, "latent-map", "data-marker") != marker)


def test_the_t_sne_map_places_a_drawn_seven_among_the_test_sevens(page):
    wait_until(page, lambda: attribute(page, "latent-map", "data-points") == "1996")
    chooser = page.find_element("id", "map-projection")
    assert chooser.is_displayed()
    scroll_to(page, chooser)
    assert attribute(page, "latent-map", "data-projection") == "pca"
    chooser.find_element("css selector", "input[value=tsne]").click()
    wait_until(page, lambda: attribute(page, "latent-map", "data-projection") == "tsne")
    assert "same digit" in page.find_element("id", "map-caption").text
    draw(page, SEVEN)
    latent_map = page.find_element("id", "latent-map")
    scroll_to(page, latent_map)
    wait_until(page, lambda: attribute(page, "latent-map", "data-neighbour-labels"))
    labels = attribute(page, "latent-map", "data-neighbour-labels")
    assert len(labels) == 10 and labels.count("7") >= 6, labels
    # A click decodes the test digit under the pointer.
    ActionChains(page).move_to_element_with_offset(latent_map, 0, 0).click().perform()
    wait_until(page, lambda: "Test digit #" in page.find_element("id", "map-decoded-note").text)
    # Back to PCA from the keyboard: the plane of the same codes.
    pca = chooser.find_element("css selector", "input[value=pca]")
    pca.send_keys(Keys.SPACE)
    wait_until(page, lambda: attribute(page, "latent-map", "data-projection") == "pca")


def test_the_latent_size_study_rebuilds_the_input_with_every_size(page):
    study = manifest(page).get("latentSizeStudy", [])
    assert len(study) == 6, "the manifest lists six latent sizes"
    draw(page, SEVEN)
    section = page.find_element("id", "size-study")
    scroll_to(page, section)
    wait_until(page, lambda: study_cells_rebuilt(page, study), timeout=60)
    cells = page.find_elements("css selector", "#size-row .size-cell")
    errors = [float(c.get_attribute("data-mse")) for c in cells]
    assert errors[0] > errors[-1], f"L=2 should rebuild worse than L=64: {errors}"

    cells[0].click()  # draw with the L=2 model
    wait_until(page, lambda: len(latent_values(page)) == 2 and all(v is not None for v in latent_values(page)))
    assert Select(page.find_element("id", "model-select")).first_selected_option.get_attribute("value") == study[0]
    wait_until(page, lambda: "itself" in page.find_element("id", "map-caption").text or "as it is" in page.find_element("id", "map-caption").text)


def test_the_study_sets_pca_and_the_training_error_beside_every_autoencoder(page):
    models = manifest(page)
    baseline = models["pcaBaseline"]
    draw(page, SEVEN)
    scroll_to(page, page.find_element("id", "size-study"))
    wait_until(page, lambda: study_cells_rebuilt(page, models["latentSizeStudy"]), timeout=60)
    cells = page.find_elements("css selector", "#size-row .size-cell")
    wait_until(page, lambda: all(c.get_attribute("data-pca-mse") for c in cells), timeout=60)
    pca_errors = [float(c.get_attribute("data-pca-mse")) for c in cells]
    # PCA with more numbers rebuilds the drawn 7 at least as well (its axes are nested).
    assert all(b <= a + 1e-6 for a, b in zip(pca_errors, pca_errors[1:])), pca_errors
    assert pca_errors[0] > 2 * pca_errors[-1], pca_errors
    # Its rebuilt images are on the page, not blank.
    for cell in cells:
        assert sum(canvas_pixels(page, cell.find_element("css selector", ".size-pca"))) > 5
    chart = page.find_element("id", "size-chart")
    assert chart.get_attribute("data-lines") == "autoencoder (test)|autoencoder (train)|PCA (test)"
    verdict = page.find_element("id", "size-verdict").text
    assert len(baseline["byCodeSize"]) == 6 and verdict.count("× at L=") == 6, verdict
    # Train against test error, for every size.
    assert page.find_element("id", "size-fit").text.count("× at L=") == 6


def test_the_knn_chart_has_a_point_per_latent_size(page):
    features = manifest(page)["codesAsFeatures"]
    scroll_to(page, page.find_element("id", "knn-chart"))
    chart = page.find_element("id", "knn-chart")
    wait_until(page, lambda: chart.get_attribute("data-points") is not None)  # drawn when the study is first seen
    assert chart.get_attribute("data-points") == str(len(features["byCodeSize"])) == "6"
    assert chart.get_attribute("data-lines") == "autoencoder codes|PCA codes|784 raw pixels"
    assert "%" in page.find_element("id", "knn-verdict").text
