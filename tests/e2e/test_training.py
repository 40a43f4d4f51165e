"""End-to-end test of in-browser training: the page's training panel drives a Worker while the
drawing view stays live, in headless Firefox and Chromium."""

from selenium.webdriver.support.ui import Select

from drawing import ONE, canvas_pixels, draw, latent_values, shown_mse, wait_for_update, wait_until


def training_step(page):
    return int(page.find_element("id", "train-progress-text").get_attribute("data-step") or 0)


def chart_points(page, chart_id):
    return int(page.find_element("id", chart_id).get_attribute("data-points") or 0)


def training_state(page):
    return page.find_element("id", "training-status").get_attribute("data-state")


def strip_updates(page):
    return int(page.find_element("id", "training-strip").get_attribute("data-updates") or 0)


def models_loaded(page):
    return int(page.find_element("css selector", "html").get_attribute("data-models-loaded"))


def resumed_step(page):
    """The Worker's own step count when it last resumed, or None before any resume."""
    value = page.find_element("id", "training-status").get_attribute("data-resumed-step")
    return int(value) if value is not None else None


def test_train_from_the_page_while_drawing(page):
    form = page.find_element("id", "training-form")
    Select(form.find_element("name", "latentSize")).select_by_visible_text("8")
    Select(form.find_element("name", "subsetSize")).select_by_value("500")
    # Every training digit turned, scaled, shifted and warped afresh for 15 epochs, then 5 epochs
    # on the digits as they are: the Worker's plan takes it.
    Select(form.find_element("name", "deform")).select_by_value("elastic-then-clean")
    epochs = form.find_element("name", "epochs")
    epochs.clear()
    epochs.send_keys("20")
    wait_until(page, lambda: page.find_element("id", "train-start").is_enabled(), timeout=60)
    page.find_element("id", "train-start").click()

    # Progress and the loss chart advance.
    wait_until(page, lambda: training_step(page) >= 3, timeout=60)
    points = chart_points(page, "loss-chart")
    wait_until(page, lambda: chart_points(page, "loss-chart") > points + 2)
    assert "digits/s" in page.find_element("id", "train-progress-text").text

    # Drawing stays live while the Worker trains.
    draw(page, ONE)
    assert shown_mse(page) is not None
    assert sum(canvas_pixels(page, "reconstruction")) > 10

    # Pause holds the step count; resume moves it on. The Worker posts "paused" after its last
    # step's progress, so once the panel shows "paused" it shows the step the run holds at; on
    # resume the Worker reports the step it goes on from, which must be that one.
    page.find_element("id", "train-pause").click()
    wait_until(page, lambda: training_state(page) == "paused")
    held = training_step(page)
    assert held >= 3
    page.find_element("id", "train-pause").click()
    wait_until(page, lambda: resumed_step(page) is not None)
    assert resumed_step(page) == held
    wait_until(page, lambda: training_step(page) > held)

    # An epoch (8 steps of 64) ends with a test MSE, and the strip shows reconstructions: the
    # Worker rebuilds the strip's digits, and the page loads no set of weights as a model until
    # it is used (each load took the page's thread from the visitor's strokes).
    wait_until(page, lambda: chart_points(page, "test-chart") >= 1, timeout=60)
    wait_until(page, lambda: strip_updates(page) >= 1)
    loaded = models_loaded(page)
    rebuilt = page.find_elements("css selector", "#training-strip .strip-cell canvas:last-child")
    assert len(rebuilt) == 8 and all(sum(canvas_pixels(page, canvas)) > 10 for canvas in rebuilt)
    wait_until(page, lambda: strip_updates(page) >= 3, timeout=60)
    assert models_loaded(page) == loaded

    # The drawing view switches to the model being trained.
    use = page.find_element("id", "use-trained")
    wait_until(page, use.is_enabled)
    use.click()
    wait_until(page, lambda: Select(page.find_element("id", "model-select")).first_selected_option.get_attribute("value") == "trained")
    assert models_loaded(page) > loaded
    wait_until(page, lambda: len(latent_values(page)) == 8 and all(v is not None for v in latent_values(page)))
    wait_for_update(page)
    assert shown_mse(page) is not None

    page.find_element("id", "train-stop").click()
    wait_until(page, lambda: training_state(page) == "done")
    assert page.find_element("id", "download-trained").is_enabled()


def test_bad_settings_are_refused_with_a_message(page):
    form = page.find_element("id", "training-form")
    rate = form.find_element("name", "learningRate")
    start = page.find_element("id", "train-start")
    status = page.find_element("id", "training-status")
    wait_until(page, lambda: start.is_enabled() and training_state(page) == "idle", timeout=60)
    ready = status.text
    # The form takes its limit from Rust (MAX_LEARNING_RATE in src/training/options.rs).
    assert float(rate.get_attribute("max")) == 0.1

    # A rate above it, which the form took before it had Rust's limit, is refused by the form.
    # Start does not start a run: start() would set "running" and "Starting…" at once, and a
    # run the Worker refused would leave an error message.
    rate.clear()
    rate.send_keys("0.5")
    assert page.execute_script("return arguments[0].validity.rangeOverflow", rate) is True
    assert rate.get_property("validationMessage")  # what the browser tells the person
    start.click()
    assert training_state(page) == "idle"
    assert status.text == ready and status.get_attribute("data-kind") == "info"

    # The same button with a valid rate and a tiny run does start one: the refusal above was
    # the limit's.
    rate.clear()
    rate.send_keys("0.003")
    Select(form.find_element("name", "subsetSize")).select_by_value("500")
    epochs = form.find_element("name", "epochs")
    epochs.clear()
    epochs.send_keys("1")
    assert page.execute_script("return arguments[0].checkValidity()", form) is True
    start.click()
    wait_until(page, lambda: training_step(page) >= 1, timeout=60)
