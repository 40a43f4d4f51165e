// Benchmarks one build of the wasm module in this browser and posts the numbers back to the
// server that bench.sh runs. Query: ?pkg=<dir with autoencoder_playground.js>&label=<name>.

const params = new URLSearchParams(location.search);
const pkg = params.get("pkg") ?? "pkg";
const label = params.get("label") ?? pkg;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run() {
  const module = await import(`../${pkg}/autoencoder_playground.js`);
  await module.default();
  const { Autoencoder, MnistSubset, Trainer, backendName } = module;
  const manifest = await (await fetch("../models/manifest.json")).json();
  const entry = manifest.models.find((m) => m.id === manifest.defaultModel);
  const modelBytes = await fetchBytes(`../models/${entry.file}`);
  const data = MnistSubset.load(await fetchBytes("../data/mnist-subset.bin"));

  // Model load: parse, checksum, f16 → f32 and build the inference copy.
  const loads = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    Autoencoder.load(modelBytes).free();
    loads.push(performance.now() - start);
  }

  // 1-sample reconstruct. Browsers coarsen performance.now() (Firefox to 1 ms without
  // cross-origin isolation), so each sample times a run of 50 calls: 0.02 ms resolution.
  const model = Autoencoder.load(modelBytes);
  const digits = Array.from(data.testIndices().slice(0, 50), (i) => data.image(i));
  for (let i = 0; i < 100; i++) model.reconstruct(digits[i % digits.length]);
  const perCall = [];
  const callsPerSample = 50;
  for (let sample = 0; sample < 200; sample++) {
    const start = performance.now();
    for (let k = 0; k < callsPerSample; k++) model.reconstruct(digits[(sample + k) % digits.length]);
    perCall.push((performance.now() - start) / callsPerSample);
  }

  // Batch-64 training step of the course-note model (Adam, Dropout 0.5), on real digits.
  const trainer = new Trainer({ latentSize: 32, dropout: 0.5, batchSize: 64, learningRate: 1e-3, seed: 1 });
  const train = data.trainIndices();
  const batches = Array.from({ length: 8 }, (_, b) => {
    const batch = new Float32Array(64 * 784);
    for (let i = 0; i < 64; i++) batch.set(data.image(train[b * 64 + i]), i * 784);
    return batch;
  });
  for (let i = 0; i < 3; i++) trainer.step(batches[i % batches.length]);
  const steps = [];
  for (let i = 0; i < 25; i++) {
    const start = performance.now();
    trainer.step(batches[i % batches.length]);
    steps.push(performance.now() - start);
  }

  return {
    label,
    backend: backendName(),
    userAgent: navigator.userAgent,
    model: entry.id,
    loadMs: median(loads),
    reconstructMs: median(perCall),
    reconstructSamples: perCall.length,
    trainStepMs: median(steps),
    trainSamplesPerSec: 64 / (median(steps) / 1000),
  };
}

async function report(body) {
  await fetch(`/results/${encodeURIComponent(label)}`, { method: "POST", body: JSON.stringify(body) });
  document.getElementById("status").textContent = JSON.stringify(body);
}

run().then(report, (error) => report({ label, error: String(error?.stack ?? error) }));
