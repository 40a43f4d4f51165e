"""The page under long use, in headless Firefox and Chromium: whether the wasm memory stays flat
and whether the page stays responsive while the Worker trains.

In one page, with the page's own modules: 100,000 reconstructions, 50 model loads (each loaded,
used and freed) and 30 short training runs (the training module, each run freed), sampling the
size of each module's wasm memory as they go. Memory that keeps growing after the first tenth of
a phase is a leak. Then, in a fresh page, a training run started from the panel while a digit is
drawn: the longest time the main thread kept the page from answering (the largest gap between
two turns of a MessageChannel ping loop, which is what a click or a stroke would wait for, and
in Chromium the longest task its Long Tasks API saw).

usage: soak.py WWW_DIR OUT.json   (run with the end-to-end tests' Python, which has selenium)
SOAK_PHASES=responsiveness runs only the last phase, to iterate on the main thread: its output
then has no "memory", and report.py does not take it.
"""

import json
import os
import pathlib
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "e2e"))
from conftest import serve_www, start_chromium, start_firefox  # noqa: E402
from drawing import ONE, SEVEN, draw, wait_until  # noqa: E402

WWW, OUT = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
RECONSTRUCTIONS = 100_000
LOADS = 50
# Enough runs that an allocator's high-water mark, reached in the first ten here, is told from a
# leak, which would keep growing through the second half.
TRAINING_RUNS = 30
TRAINING_SECONDS = 30
ONLY_RESPONSIVENESS = os.environ.get("SOAK_PHASES") == "responsiveness"


# Runs in the page: the page's modules are imported again (the same instances: a module is
# evaluated once per page), so their wasm memories are the ones the page uses.
MEMORY_SOAK = """
const done = arguments[0];
(async () => {
  const inference = await import("./pkg/autoencoder_playground_inference.js");
  const memory = (await inference.default()).memory;
  const manifest = await (await fetch("models/manifest.json")).json();
  const entry = manifest.models.find((m) => m.id === manifest.roles.drawing);
  const bytes = new Uint8Array(await (await fetch(`models/${entry.file}`)).arrayBuffer());
  const image = new Float32Array(784).map((_, i) => ((i * 7919) %% 97) / 96);
  const size = () => memory.buffer.byteLength;

  const reconstructions = [];
  const model = inference.Autoencoder.load(bytes);
  const started = performance.now();
  for (let i = 1; i <= %(reconstructions)d; i++) {
    model.reconstruct(image);
    if (i %% %(every)d === 0) reconstructions.push(size());
  }
  const reconstructMs = (performance.now() - started) / %(reconstructions)d;
  model.free();

  const loads = [];
  for (let i = 1; i <= %(loads)d; i++) {
    const loaded = inference.Autoencoder.load(bytes);
    loaded.reconstruct(image);
    loaded.free();
    if (i %% 5 === 0) loads.push(size());
  }

  const training = await import("./pkg/autoencoder_playground.js");
  const trainingMemory = (await training.default()).memory;
  const unzip = async (url) => new Uint8Array(await new Response(
    (await fetch(url)).body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  const data = training.MnistSubset.load(await unzip("data/mnist-test.bin.gz"), "mnist-test.bin.gz");
  data.append(training.MnistSubset.load(await unzip("data/mnist-train.bin.gz"), "mnist-train.bin.gz"));
  const runs = [];
  for (let i = 1; i <= %(runs)d; i++) {
    const run = new training.TrainingRun(data,
      { latentSize: 16, batchSize: 64, dropout: 0, learningRate: 0.001, seed: i },
      { epochs: 1, subsetSize: 640, evaluationSize: 200 });
    while (!run.step().finished) {}
    run.testMse();
    run.free();
    runs.push(trainingMemory.buffer.byteLength);
  }
  data.free();
  done({ reconstructions, loads, runs, reconstructMs });
})().catch((error) => done({ error: String(error) }));
""" % {"reconstructions": RECONSTRUCTIONS, "every": RECONSTRUCTIONS // 20, "loads": LOADS,
       "runs": TRAINING_RUNS}

# The ping loop: each turn posts the next, so a gap between turns is time the main thread was
# busy with something else.
START_PROBE = """
window.probe = { worst: 0, last: performance.now(), longest: 0, turns: 0 };
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  const now = performance.now();
  probe.worst = Math.max(probe.worst, now - probe.last);
  probe.last = now;
  probe.turns += 1;
  if (!probe.stopped) channel.port2.postMessage(null);
};
channel.port2.postMessage(null);
if (PerformanceObserver.supportedEntryTypes?.includes("longtask")) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longest = Math.max(probe.longest, entry.duration);
  }).observe({ type: "longtask" });
  probe.longTasksSeen = true;
}
"""


def flat_after_warm_up(samples):
    """The growth (bytes) from the end of the first tenth of the samples to the last one."""
    start = samples[max(0, len(samples) // 10 - 1)]
    return samples[-1] - start


def soak(driver, url):
    driver.set_script_timeout(900)
    memory = None if ONLY_RESPONSIVENESS else memory_soak(driver, url)
    while_training = responsiveness(driver, url)
    return {"whileTraining": while_training} if memory is None else {"memory": memory, "whileTraining": while_training}


def memory_soak(driver, url):
    driver.get(f"{url}/index.html")
    wait_until(driver, lambda: "ready" in driver.find_element("id", "model-status").text, timeout=60)
    memory = driver.execute_async_script(MEMORY_SOAK)
    if "error" in memory:
        raise RuntimeError(memory["error"])
    return {
        "reconstructions": memory["reconstructions"],
        "loads": memory["loads"],
        "trainingRuns": memory["runs"],
        "growthAfterWarmUp": {
            "reconstructions": flat_after_warm_up(memory["reconstructions"]),
            "loads": flat_after_warm_up(memory["loads"]),
            "trainingRuns": flat_after_warm_up(memory["runs"]),
        },
        "reconstructMs": memory["reconstructMs"],
    }


def responsiveness(driver, url):
    driver.get(f"{url}/index.html")
    wait_until(driver, lambda: "ready" in driver.find_element("id", "model-status").text
               and driver.find_elements("css selector", "#gallery button"), timeout=60)
    start = driver.find_element("id", "train-start")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
    wait_until(driver, start.is_enabled, timeout=60)
    start.click()
    wait_until(driver, lambda: driver.execute_script(
        "return Number(document.getElementById('train-progress').value) > 0"), timeout=120)
    # Measured from the first step on: the data fetch before it is not training.
    driver.execute_script(START_PROBE)
    began = time.monotonic()
    strokes = 0
    while time.monotonic() - began < TRAINING_SECONDS:
        driver.find_element("id", "clear").click()
        draw(driver, SEVEN if strokes % 2 else ONE)
        strokes += 1
    probe = driver.execute_script("probe.stopped = true; return probe")
    steps = driver.execute_script("return document.getElementById('train-progress').value")
    driver.find_element("id", "train-stop").click()
    return {
        "seconds": TRAINING_SECONDS,
        "digitsDrawn": strokes,
        "longestGapMs": probe["worst"],
        "pingTurns": probe["turns"],
        "longestTaskMs": probe["longest"] if probe.get("longTasksSeen") else None,
        "trainingProgress": steps,
    }


def main():
    server, url = serve_www(WWW)
    results = {}
    for name in ["firefox", "chromium"]:
        with tempfile.TemporaryDirectory() as profile:
            driver = start_firefox() if name == "firefox" else start_chromium(profile)
            try:
                results[name] = soak(driver, url)
            finally:
                driver.quit()
        print(name, json.dumps(results[name]), flush=True)
    server.shutdown()
    OUT.write_text(json.dumps(results, indent=1))


main()
