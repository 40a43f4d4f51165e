// The page's side of the training Worker: sends commands, and re-dispatches the Worker's
// messages as events named by their type ("progress", "epoch", "weights", ...; see
// train-worker.js for the protocol). The Worker, with its copy of the wasm module and the
// training digits, is created by the first run: a visitor who never trains never fetches them.

export class TrainerClient extends EventTarget {
  /** Starts a new run (ending any current one): `options` for the model, `plan` for the run;
   *  `extra`: {examples, modelFile} mixes a new shape's examples in, {showing} names digits to
   *  rebuild with each set of weights (see train-worker.js). */
  start(options, plan, extra = {}) {
    this.send({ type: "start", options, plan, ...extra });
  }

  pause() {
    this.worker?.postMessage({ type: "pause" });
  }

  resume() {
    this.worker?.postMessage({ type: "resume" });
  }

  stop() {
    this.worker?.postMessage({ type: "stop" });
  }

  send(message) {
    if (!this.worker) {
      this.worker = new Worker(new URL("./train-worker.js", import.meta.url), { type: "module" });
      this.worker.onmessage = ({ data }) => this.dispatchEvent(new CustomEvent(data.type, { detail: data }));
      this.worker.onerror = (event) => {
        event.preventDefault();
        const message = event.message || "the training worker failed to start";
        this.dispatchEvent(new CustomEvent("error", { detail: { type: "error", message } }));
      };
    }
    this.worker.postMessage(message);
  }

  /** Calls `handler(detail)` for every message of `type`. */
  on(type, handler) {
    this.addEventListener(type, (event) => handler(event.detail));
    return this;
  }
}
