"""End-to-end tests of "Reuse the encoder": the section loads only once it is seen; the shipped
fine-tuned classifier names a drawn 7; the chart has a point per label count on every line; and
"Train the classifier" fits a softmax in the page whose point joins the chart and which then
classifies the drawing too."""

from selenium.webdriver.support.ui import Select

from drawing import SEVEN, draw, manifest, scroll_to, wait_until


def fetched(page):
    """The file names the page has fetched so far."""
    return page.execute_script(
        "return performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname.split('/').pop())")


def classifier_file(page):
    models = manifest(page)
    return next(c["file"] for c in models["classifiers"] if c["id"] == models["roles"]["classifier"])


def top(page, list_id):
    return (page.find_element("id", list_id).get_attribute("data-top") or "").split(",")


def chart(page, name):
    return page.find_element("id", "reuse-chart").get_attribute(f"data-{name}") or ""


def training_status(page):
    return page.find_element("id", "reuse-train-status").text


def test_the_section_loads_only_once_it_is_seen(page):
    first_view = fetched(page)
    section_files = {"reuse-panel.js", classifier_file(page)}
    for name in section_files:
        assert name not in first_view, f"{name} is fetched in the first view"
    scroll_to(page, "reuse")
    wait_until(page, lambda: section_files <= set(fetched(page)), timeout=60)
    assert "mnist-train.bin.gz" not in fetched(page), "the training digits wait for the first training"


def test_a_drawn_seven_is_classified_as_a_seven(page):
    draw(page, SEVEN)
    scroll_to(page, "reuse")
    wait_until(page, lambda: top(page, "reuse-shipped")[0] != "", timeout=60)
    assert top(page, "reuse-shipped")[0] == "7", top(page, "reuse-shipped")
    assert len(page.find_elements("css selector", "#reuse-shipped li")) == 3
    assert "100 labelled digits" in page.find_element("id", "reuse-shipped-name").text


def test_the_chart_has_a_point_per_label_count_on_each_line(page):
    scroll_to(page, "reuse")
    wait_until(page, lambda: chart(page, "label-counts") != "", timeout=60)
    counts = [p["labels"] for p in manifest(page)["transfer"]["byLabels"]]
    assert chart(page, "label-counts") == ",".join(map(str, counts))
    assert int(chart(page, "points")) == len(counts) >= 4
    lines = chart(page, "lines").split("|")
    for label in ["encoder fine-tuned", "softmax on frozen codes", "softmax on PCA codes", "softmax on pixels"]:
        assert label in lines, lines
    assert chart(page, "visitor-points") == "0"


def test_training_in_the_page_adds_a_point_and_classifies_the_drawing(page):
    draw(page, SEVEN)
    scroll_to(page, "reuse")
    wait_until(page, lambda: page.find_element("id", "reuse-train").is_enabled(), timeout=60)
    Select(page.find_element("id", "reuse-labels")).select_by_value("100")
    scroll_to(page, "reuse-train").click()
    wait_until(page, lambda: chart(page, "visitor-points") == "1" or "failed" in training_status(page), timeout=90)
    status = training_status(page)
    assert "Trained on 100 labelled digits" in status, status
    assert "your softmax on codes" in chart(page, "lines").split("|")
    wait_until(page, lambda: page.find_element("id", "reuse-mine").is_displayed())
    assert top(page, "reuse-mine-list")[0] == "7", top(page, "reuse-mine-list")
    # A second training, with other labels, adds a second point.
    Select(page.find_element("id", "reuse-labels")).select_by_value("10")
    scroll_to(page, "reuse-train").click()
    wait_until(page, lambda: chart(page, "visitor-points") == "2", timeout=90)
