// The page's side of the training Worker: sends commands, and re-dispatches the Worker's
// messages as events named by their type ("progress", "epoch", "weights", ...; see
// train-worker.js for the protocol).

export class TrainerClient extends EventTarget {
  constructor() {
    super();
    this.worker = new Worker(new URL("./train-worker.js", import.meta.url), { type: "module" });
    this.worker.onmessage = ({ data }) => this.dispatchEvent(new CustomEvent(data.type, { detail: data }));
    this.worker.onerror = (event) => {
      event.preventDefault();
      const message = event.message || "the training worker failed to start";
      this.dispatchEvent(new CustomEvent("error", { detail: { type: "error", message } }));
    };
  }

  /** Starts a new run (ending any current one): `options` for the model, `plan` for the run. */
  start(options, plan) {
    this.worker.postMessage({ type: "start", options, plan });
  }

  pause() {
    this.worker.postMessage({ type: "pause" });
  }

  resume() {
    this.worker.postMessage({ type: "resume" });
  }

  stop() {
    this.worker.postMessage({ type: "stop" });
  }

  /** Calls `handler(detail)` for every message of `type`. */
  on(type, handler) {
    this.addEventListener(type, (event) => handler(event.detail));
    return this;
  }
}
