"""The whole per-frame update with every view open, in headless Firefox and Chromium: a window
tall enough that every section is in view (each view skips its work while off screen), every
section's models loaded, then digits drawn with the mouse through WebDriver; each animation
frame's update (main.js's `update`: the drawing → 28×28, the model, and every view that follows
the input) is timed by the page's own `page-update` measure, and the time until the last view
showed an input (the views below the pad follow it within a budget per frame) by `views-caught-up`.

usage: frame_budget.py WWW_DIR OUT.json   (run with the end-to-end tests' Python, which has selenium)
"""

import json
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "e2e"))
from conftest import serve_www, start_chromium, start_firefox  # noqa: E402
from drawing import ONE, SEVEN, draw, wait_until  # noqa: E402

WWW, OUT = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ROUNDS = 6
# Sections that load their models when first seen, and what says they are in.
LOADED = {
    "uses": "document.getElementById('feature-maps').dataset.stages",
    "inside": "document.getElementById('layer-stack').dataset.layers",
    "dream": "document.getElementById('dream-vae').dataset.seed",
}

OBSERVE = """
window.frameUpdates = [];
window.catchUps = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name === "page-update") window.frameUpdates.push(entry.duration);
    if (entry.name === "views-caught-up") window.catchUps.push(entry.duration);
  }
}).observe({ type: "measure" });
"""


def measure(driver, url):
    driver.set_window_size(1280, 12000)
    driver.get(f"{url}/index.html")
    wait_until(driver, lambda: "ready" in driver.find_element("id", "model-status").text, timeout=120)
    wait_until(driver, lambda: driver.find_elements("css selector", "#gallery button"), timeout=120)
    driver.find_elements("css selector", "#gallery button")[7].click()  # every view gets an input
    for check in LOADED.values():
        wait_until(driver, lambda: driver.execute_script(f"return {check}"), timeout=180)
    time.sleep(3)  # the sections' fits (the explorer's codes, the anomaly scale) finish
    sections = driver.execute_script(
        "return [...document.querySelectorAll('main > section')].filter((s) => {"
        "  const r = s.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; }).length")
    driver.execute_script(OBSERVE)
    for round_ in range(ROUNDS):
        driver.execute_script("document.getElementById('clear').click()")
        draw(driver, SEVEN if round_ % 2 == 0 else ONE)
    time.sleep(1)
    durations = sorted(driver.execute_script("return window.frameUpdates"))
    catch_ups = sorted(driver.execute_script("return window.catchUps"))
    return {
        "frames": len(durations),
        "sectionsInView": sections,
        "medianMs": statistics.median(durations),
        "p95Ms": durations[int(0.95 * (len(durations) - 1))],
        "maxMs": durations[-1],
        "catchUps": len(catch_ups),
        "catchUpMedianMs": statistics.median(catch_ups),
        "catchUpMaxMs": catch_ups[-1],
    }


server, url = serve_www(WWW)
results = {}
with tempfile.TemporaryDirectory() as profile:
    for name, start in [("firefox", start_firefox), ("chromium", lambda: start_chromium(profile))]:
        driver = start()
        try:
            results[name] = measure(driver, url)
        finally:
            driver.quit()
        print(name, results[name])
server.shutdown()
OUT.write_text(json.dumps(results, indent=2))
