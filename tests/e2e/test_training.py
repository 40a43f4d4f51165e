"""End-to-end test of in-browser training: the page's training panel drives a Worker while the
drawing view stays live, in headless Firefox and Chromium."""

import time

from selenium.webdriver.support.ui import Select

from drawing import ONE, canvas_pixels, draw, latent_values, shown_mse, wait_for_update, wait_until


def training_step(page):
    return int(page.find_element("id", "train-progress-text").get_attribute("data-step") or 0)


def chart_points(page, chart_id):
    return int(page.find_element("id", chart_id).get_attribute("data-points") or 0)


def training_state(page):
    return page.find_element("id", "training-status").get_attribute("data-state")


def test_train_from_the_page_while_drawing(page):
    form = page.find_element("id", "training-form")
    Select(form.find_element("name", "latentSize")).select_by_visible_text("8")
    Select(form.find_element("name", "subsetSize")).select_by_value("500")
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

    # Pause holds the step count; resume moves it on.
    page.find_element("id", "train-pause").click()
    wait_until(page, lambda: training_state(page) == "paused")
    held = training_step(page)
    time.sleep(1.5)
    assert training_step(page) == held
    page.find_element("id", "train-pause").click()
    wait_until(page, lambda: training_step(page) > held)

    # An epoch (8 steps of 64) ends with a test MSE, and the strip shows reconstructions.
    wait_until(page, lambda: chart_points(page, "test-chart") >= 1, timeout=60)
    wait_until(page, lambda: int(page.find_element("id", "training-strip").get_attribute("data-updates") or 0) >= 1)

    # The drawing view switches to the model being trained.
    use = page.find_element("id", "use-trained")
    wait_until(page, use.is_enabled)
    use.click()
    wait_until(page, lambda: Select(page.find_element("id", "model-select")).first_selected_option.get_attribute("value") == "trained")
    wait_until(page, lambda: len(latent_values(page)) == 8 and all(v is not None for v in latent_values(page)))
    wait_for_update(page)
    assert shown_mse(page) is not None

    page.find_element("id", "train-stop").click()
    wait_until(page, lambda: training_state(page) == "done")
    assert page.find_element("id", "download-trained").is_enabled()


def test_bad_settings_are_refused_with_a_message(page):
    form = page.find_element("id", "training-form")
    rate = form.find_element("name", "learningRate")
    rate.clear()
    rate.send_keys("5")  # above the form's max of 1: the form refuses it before the Worker
    wait_until(page, lambda: page.find_element("id", "train-start").is_enabled(), timeout=60)
    page.find_element("id", "train-start").click()
    assert training_step(page) == 0
    assert page.execute_script("return document.querySelector('[name=learningRate]').validity.valid") is False
