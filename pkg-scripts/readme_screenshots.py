"""The README's screenshots (www/img/screenshot-*.png), as a visitor sees the page: headless
Chromium at 1280 px on test digit 17, the first view and then each section scrolled to the
top of the window once its models have loaded. Run by `pkg-scripts/screenshot.sh --readme`.

usage: readme_screenshots.py BASE_URL OUT_DIR
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from conftest import start_chromium  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# Each section, and what shows that it has drawn what it loads.
SECTIONS = {
    "explore": "document.getElementById('latent-map').dataset.points === '1996'",
    "dream": "['dream-grid-vae', 'dream-grid-plain'].every((id) => document.getElementById(id).dataset.cells)",
    "uses": "document.getElementById('feature-maps').dataset.stages === '7'"
            " && document.getElementById('anomaly-verdict').dataset.flag",
}


def main(base, out):
    with tempfile.TemporaryDirectory() as profile:
        browser = start_chromium(profile)
        try:
            browser.set_window_size(1280, 1020)
            browser.get(f"{base}/index.html?digit=17")
            wait = WebDriverWait(browser, 60)
            wait.until(lambda b: b.execute_script("return document.querySelector('#error [data-mse]') !== null"))
            time.sleep(1)  # the explorer and the anomaly panel settle
            browser.save_screenshot(str(out / "screenshot-desktop.png"))
            for section, drawn in SECTIONS.items():
                browser.execute_script(f"document.getElementById('{section}').scrollIntoView()")
                wait.until(lambda b: b.execute_script(f"return {drawn}"))
                time.sleep(1)
                browser.execute_script(f"document.getElementById('{section}').scrollIntoView()")
                browser.save_screenshot(str(out / f"screenshot-{section}.png"))
                print(f"wrote {out / f'screenshot-{section}.png'}")
        finally:
            browser.quit()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
