"""BENCHMARKS.md's section on the network seen from inside and the latent map: the t-SNE maps'
neighbourhood figures from the manifest (written by `map-report`), and the per-frame update
with every view open (frame_budget.py's JSON). report.py prints it."""


def insides_section(manifest, frames, firefox, chromium):
    rows = [m for m in manifest["models"] if m.get("map")]
    lines = ["""
## Inside the network, and a map that keeps neighbours

The latent map's second view is a t-SNE map of the 1,996 test digits' codes, made natively by
`map-report` (exact t-SNE, perplexity 30, 1,000 steps, started from the PCA plane) and shipped
beside each model with more than two latent numbers. A map keeps a digit among its own kind when
its nearest dots are the same digit: the share of each test digit's 10 nearest neighbours with
its label, on PCA's plane of the codes, on the t-SNE map, and among the codes themselves (all L
numbers, for comparison: t-SNE, which pulls each code's neighbours in, can even keep a little
more than the codes' own distances do).

| model | L | PCA plane | t-SNE map | the codes | t-SNE time (native) | map file |
|---|---:|---:|---:|---:|---:|---:|"""]
    for m in rows:
        mp = m["map"]
        lines.append(f"| {m['id']} | {m['latentSize']} | {100 * mp['agreementPca']:.1f} % | "
                     f"**{100 * mp['agreementMap']:.1f} %** | {100 * mp['agreementCodes']:.1f} % | "
                     f"{mp['seconds']:.1f} s | {mp['fileBytes'] / 1024:.0f} KiB |")
    f, c = frames["firefox"], frames["chromium"]
    lines.append(f"""
*The whole per-frame update with every view open* (`pkg-scripts/bench/frame_budget.py`): a
1280×12,000 window, so that all {f['sectionsInView']} sections are in view and none skips its
work, every section's models loaded, then digits drawn with the mouse (WebDriver). Each
animation frame's work is the page's own `page-update` measure: on a new input, the drawing →
28×28, the model and the views beside the pad; then the views below (the explorer, every layer
of the network, the latent-size study, the feature maps, the denoiser, the anomaly gauge, the
codec table, the classifier) follow it in turn, piece by piece, until the frame's budget of
3 ms is spent (`www/js/following-views.js`), the rest in the next frames. *Caught up* is the
page's `views-caught-up` measure: from an input's arrival until the last view showed it
(while the mouse keeps drawing, a view may skip inputs that came and went meanwhile).

| browser | frames | median | 95th percentile | longest | caught up: median | longest |
|---|---:|---:|---:|---:|---:|---:|
| {firefox} | {f['frames']} | {f['medianMs']:.1f} ms | {f['p95Ms']:.1f} ms | {f['maxMs']:.0f} ms | {f['catchUpMedianMs']:.0f} ms | {f['catchUpMaxMs']:.0f} ms |
| {chromium} | {c['frames']} | {c['medianMs']:.1f} ms | {c['p95Ms']:.1f} ms | {c['maxMs']:.0f} ms | {c['catchUpMedianMs']:.0f} ms | {c['catchUpMaxMs']:.0f} ms |
""")
    return "\n".join(lines)
