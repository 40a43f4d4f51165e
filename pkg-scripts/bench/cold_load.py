"""What a first visit costs, measured the way a visitor gets it: www/ served by Python's
http.server (no compression) with the cross-origin isolation headers, as demo.sh serves it (on
a host without them the page's service worker adds them and reloads the page once, later,
when it is idle: not part of the first view), a fresh browser profile per load, one stroke drawn with the mouse
as soon as the pad exists. For each browser: the bytes fetched before the first reconstruction
and in the first 10 seconds (raw, and as gzip -9 would make them), and the time from
navigation to the first reconstruction (median of 5 cold loads; the page marks it with
performance.mark("first-reconstruction")), beside the time the page was ready to rebuild a
stroke ("model-ready") and the time WebDriver's stroke reached it ("first-stroke").

usage: cold_load.py WWW_DIR OUT.json   (run with the end-to-end tests' Python, which has selenium)
"""

import functools
import gzip
import http.server
import json
import pathlib
import shutil
import statistics
import sys
import tempfile
import threading
import time

from selenium import webdriver

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "e2e"))
from drawing import SEVEN, draw  # noqa: E402  (the e2e tests' real mouse strokes)

WWW, OUT = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
LOADS = 5
IDLE_SECONDS = 10


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, *args):
        pass


def start_browser(name, profile):
    if name == "firefox":
        options = webdriver.FirefoxOptions()
        options.binary_location = shutil.which("firefox-esr")
        options.add_argument("-headless")
        options.add_argument("-profile")
        options.add_argument(profile)
        options.page_load_strategy = "none"
        service = webdriver.FirefoxService(executable_path=shutil.which("geckodriver"))
        return webdriver.Firefox(options=options, service=service)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}", "--window-size=1280,1000"]:
        options.add_argument(flag)
    options.page_load_strategy = "none"
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def sizes(url):
    """A fetched file's size, raw and gzip -9 (0 for a 404, such as the browser's favicon.ico)."""
    path = WWW / url.split("/", 3)[3].split("?")[0]
    if not path.is_file():
        return 0, 0
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 9))


def one_load(browser, base):
    with tempfile.TemporaryDirectory() as profile:
        driver = start_browser(browser, profile)
        try:
            driver.set_window_size(1280, 1000)
            driver.get(f"{base}/index.html")
            started = time.monotonic()
            while not driver.find_elements("id", "draw-canvas"):
                time.sleep(0.005)
            draw(driver, SEVEN)
            mark = None
            while mark is None and time.monotonic() - started < 60:
                mark = driver.execute_script(
                    "const m = performance.getEntriesByName('first-reconstruction')[0];"
                    "return m ? m.startTime : null;")
                time.sleep(0.01)
            if mark is None:
                raise RuntimeError(f"{browser}: no reconstruction within 60 s")
            ready, stroke = driver.execute_script(
                "return ['model-ready', 'first-stroke'].map((name) => "
                "performance.getEntriesByName(name)[0]?.startTime ?? null);")
            time.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - started)))
            entries = driver.execute_script(
                "return performance.getEntriesByType('resource')"
                ".map((e) => ({name: e.name, end: e.responseEnd}));")
            version = driver.capabilities.get("browserVersion", "")
        finally:
            driver.quit()
    page = {"name": f"{base}/index.html", "end": 0}
    before, idle = [0, 0], [0, 0]
    for entry in [page, *entries]:
        raw, packed = sizes(entry["name"])
        idle[0] += raw
        idle[1] += packed
        if entry["end"] <= mark:
            before[0] += raw
            before[1] += packed
    return {"firstReconstructionMs": mark, "modelReadyMs": ready, "firstStrokeMs": stroke, "beforeFirst": before, "firstTenSeconds": idle,
            "files": len(entries) + 1, "version": version}


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(WWW)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    for browser in ["firefox", "chromium"]:
        loads = [one_load(browser, base) for _ in range(LOADS)]
        results[browser] = {
            "version": loads[0]["version"],
            "firstReconstructionMs": [load["firstReconstructionMs"] for load in loads],
            "medianFirstReconstructionMs": statistics.median(load["firstReconstructionMs"] for load in loads),
            "medianModelReadyMs": statistics.median(load["modelReadyMs"] for load in loads),
            "medianFirstStrokeMs": statistics.median(load["firstStrokeMs"] for load in loads),
            # The bytes are the same files every load; the last load's are reported.
            "beforeFirst": loads[-1]["beforeFirst"],
            "firstTenSeconds": loads[-1]["firstTenSeconds"],
            "files": loads[-1]["files"],
        }
        print(browser, json.dumps(results[browser]))
    server.shutdown()
    OUT.write_text(json.dumps(results, indent=2))


main()
