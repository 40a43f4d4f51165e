"""End-to-end test of the page's model store (www/js/model-store.js): after switching the drawing
model 20 times, opening every section and training a model and drawing with it, every model is
loaded once and freed when nobody holds it — as many live models as distinct models in use; and
the drawing model's copy in the later views' module, made for "Inside the network", follows it
there and is freed with it."""

from selenium.webdriver.support.ui import Select

from drawing import SEVEN, draw, manifest, scroll_to, study_cells_rebuilt, wait_until


def model_counts(page):
    root = page.find_element("css selector", "html")
    return int(root.get_attribute("data-models-loaded")), int(root.get_attribute("data-models-live"))


def later_counts(page):
    root = page.find_element("css selector", "html")
    return tuple(int(root.get_attribute(f"data-{name}") or -1) for name in ["later-models-live", "later-wasm-models-live"])


def choose(page, value):
    Select(page.find_element("id", "model-select")).select_by_value(value)
    wait_until(page, lambda: "ready" in page.find_element("id", "model-status").text, timeout=60)


def test_no_model_leaks_and_none_is_loaded_twice(page):
    models = manifest(page)
    roles = models["roles"]
    ids = [m["id"] for m in models["models"]]
    drawing = roles["drawing"]

    # Twenty switches, through every shipped model and back to the drawing model.
    for i in range(20):
        choose(page, ids[i % len(ids)])
    choose(page, drawing)
    loaded, live = model_counts(page)
    assert live == 1, f"{live} models live with only the drawing view holding one"

    # Every section holds its own models from now on: scroll to each and wait for them.
    draw(page, SEVEN)
    scroll_to(page, "size-study")
    wait_until(page, lambda: study_cells_rebuilt(page, models["latentSizeStudy"]), timeout=120)
    scroll_to(page, "dream")
    wait_until(page, lambda: all(page.find_element("id", g).get_attribute("data-cells") for g in ["dream-grid-vae", "dream-grid-plain"]), timeout=120)
    scroll_to(page, "uses")
    scroll_to(page, "feature-maps")
    wait_until(page, lambda: page.find_element("id", "feature-maps").get_attribute("data-stages") == "7", timeout=60)
    scroll_to(page, "dn-clean")
    wait_until(page, lambda: page.find_element("id", "dn-denoised").get_attribute("data-mse") is not None, timeout=60)
    scroll_to(page, "anomaly-verdict")
    wait_until(page, lambda: page.find_element("id", "anomaly-verdict").get_attribute("data-flag"), timeout=60)
    scroll_to(page, "layer-stack")
    wait_until(page, lambda: page.find_element("id", "layer-stack").get_attribute("data-layers") == "11", timeout=60)

    # Train a small model and draw with it; then go back to the drawing model.
    form = page.find_element("id", "training-form")
    Select(form.find_element("name", "latentSize")).select_by_visible_text("8")
    Select(form.find_element("name", "subsetSize")).select_by_value("500")
    epochs = form.find_element("name", "epochs")
    epochs.clear()
    epochs.send_keys("1")
    start = scroll_to(page, "train-start")
    wait_until(page, start.is_enabled, timeout=60)
    start.click()
    status = page.find_element("id", "training-status")
    wait_until(page, lambda: status.get_attribute("data-state") == "done", timeout=120)
    page.find_element("id", "use-trained").click()
    wait_until(page, lambda: Select(page.find_element("id", "model-select")).first_selected_option.get_attribute("value") == "trained")
    choose(page, drawing)

    # Held now: the drawing model, the study's models, and each role's model; each once.
    held = {drawing, *models["latentSizeStudy"], *(roles[r] for r in [
        "conv", "denoiser", "denoiserBaseline", "detector", "generator", "generatorPlane", "codePlane"])}
    loaded_after, live = model_counts(page)
    assert live == len(held), f"{live} models live, {len(held)} distinct models in use: {sorted(held)}"
    # The wasm module's own count agrees: no model was made outside the store.
    wasm_live = int(page.find_element("css selector", "html").get_attribute("data-wasm-models-live"))
    assert wasm_live == live
    # The insides followed the drawing model to the trained one and back: one copy of a model
    # in the later views' module, the drawing model's, and that module's own count agrees.
    wait_until(page, lambda: later_counts(page) == (1, 1), timeout=30)
    # Opening the sections loaded each held model once (the drawing model was already in), and
    # "use it" loaded the trained weights once: no section loaded a model another holds.
    assert loaded_after > loaded
