// The views below the pad follow each new input within a time budget per animation frame, in
// turn, instead of all at once: every view together takes longer than a frame should spend on
// script (BENCHMARKS.md, "The whole per-frame update"), and the visitor's eye is on the pad.
// On a fast machine the views keep up frame by frame; on a slow one the pad stays smooth and the
// views further down catch up a few frames later.

/** Script time (ms) a frame may spend on the page's views, before the step that crosses it
 *  ends: under a quarter of a 60 Hz frame, leaving the rest to the browser's style, layout
 *  and paint, and to the pointer's events. */
export const FRAME_BUDGET_MS = 3;

/**
 * A queue of views that follow the page's input. A view is a function of the input and its
 * code that updates the view at once, or returns an iterable whose steps do the work in pieces
 * (a generator that yields between pieces), so that a long view can be spread over frames.
 */
export class FollowingViews {
  /**
   * @param {Array<(input: Float32Array|null, code: Float32Array|null) => Iterable|void>} views
   * @param {(error: Error) => void} onError where a view's error is shown (the view is then done)
   */
  constructor(views, onError) {
    this.views = views;
    this.onError = onError;
    this.due = []; // views that have not yet followed the latest input, the longest-waiting first
    this.running = null; // { view, steps }: the view being updated piece by piece
    this.latest = null; // { input, code, at }: the input to follow, and when it arrived
    this.costs = new Map(); // each view's recent cost per step, in ms
  }

  /** A new input: every view is due to follow it. A view halfway through the previous input
   *  finishes that first, then follows this one in its turn. */
  follow(input, code) {
    this.latest = { input, code, at: performance.now() };
    for (const view of this.views) if (!this.due.includes(view)) this.due.push(view);
  }

  /** Whether some view has not yet shown the latest input. */
  get busy() {
    return this.running !== null || this.due.length > 0;
  }

  /**
   * Runs views' steps until `deadline` (a `performance.now()` time), starting none that its
   * recent cost says would end past it, except the first, so that every frame makes progress.
   * Returns whether work is left for the next frame.
   */
  runUntil(deadline) {
    let steps = 0;
    while (this.busy) {
      const view = this.running?.view ?? this.due[0];
      if (steps > 0 && performance.now() + (this.costs.get(view) ?? 0) > deadline) break;
      this.step(view);
      steps++;
    }
    if (steps > 0 && !this.busy) {
      // For the per-frame benchmark (pkg-scripts/bench/frame_budget.py): from the input's
      // arrival until the last view showed it.
      performance.measure("views-caught-up", { start: this.latest.at });
      performance.clearMeasures("views-caught-up");
    }
    return this.busy;
  }

  /** One step of `view`: its call, or the next piece of its work. */
  step(view) {
    const started = performance.now();
    try {
      if (!this.running) {
        this.due.shift();
        const steps = view(this.latest.input, this.latest.code)?.[Symbol.iterator]?.();
        this.running = steps ? { view, steps } : null;
      } else if (this.running.steps.next().done) {
        this.running = null;
      }
    } catch (error) {
      this.running = null;
      this.onError(error);
    }
    const cost = performance.now() - started;
    this.costs.set(view, 0.7 * (this.costs.get(view) ?? cost) + 0.3 * cost);
  }
}
