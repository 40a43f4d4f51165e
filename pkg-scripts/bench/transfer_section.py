"""The "Transfer learning" section of BENCHMARKS.md, from the manifest's `transfer` figures and
its `classifier` role (written by `cargo run --bin transfer-report -- --write`). report.py prints
it in its place; run alone, it prints the section for the manifest given (default
www/models/manifest.json).

usage: transfer_section.py [MANIFEST]
"""
import json
import pathlib
import sys


def percent(accuracy):
    return f"{100 * accuracy['mean']:.1f} ± {100 * accuracy['spread']:.1f} %"


def transfer_section(manifest):
    """The section's Markdown, or "" when the manifest has no transfer figures."""
    study = manifest.get("transfer")
    if not study:
        return ""
    classifier_id = manifest.get("roles", {}).get("classifier")
    classifier = next((c for c in manifest.get("classifiers", []) if c["id"] == classifier_id), None)
    lines = [
        "",
        "## Transfer learning: the encoder reused with a handful of labels",
        "",
        f"Test accuracy on the 1,996 test digits against the number of labelled training digits (the same",
        f"number of each digit, or all 8,004), mean ± standard deviation over random draws of which digits",
        f"are labelled (`{study['command']}`). A softmax (multinomial logistic regression,",
        f"`src/analysis/softmax.rs`) on the 784 pixels, on PCA's {study['codeSize']}-number codes and on the",
        f"frozen codes of `{study['encoderModel']}` (the drawing model); that encoder fine-tuned end to end",
        f"with a softmax head ({study['steps']:,} Adam steps of up to {study['batchSize']} digits, every digit",
        "deformed anew at every step, `src/training/fine_tune.rs`), and the same network from random",
        "weights; each of those also without the deformations.",
        "",
        "| labels | draws | pixels | PCA codes | frozen codes | fine-tuned | fine-tuned, undeformed | random start | random start, undeformed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in study["byLabels"]:
        cells = [percent(p[k]) for k in ["pixels", "pca", "frozenCodes", "fineTuned", "fineTunedUndeformed",
                                        "randomInit", "randomInitUndeformed"]]
        lines.append(f"| {p['labels']:,} | {p['draws']} | " + " | ".join(cells) + " |")
    hundred = next((p for p in study["byLabels"] if p["labels"] == 100), None)
    if hundred:
        mean = hundred["fineTuned"]["mean"]
        verdict = "met" if mean >= 0.9 else "not met"
        lines += ["", f"Target (the transfer-learning issue): the fine-tuned encoder at least 90 % with 100 labels,",
                  f"mean of at least 5 draws: {100 * mean:.1f} % over {hundred['draws']} draws, {verdict}."]
    if classifier:
        lines += ["", f"Shipped: `www/models/{classifier['file']}` (role `classifier`, {classifier['fileBytes'] / 1000:.0f} KB,",
                  f"{classifier['weightBits']}-bit weights), fine-tuned on {classifier['labelsUsed']} labelled digits (draw seed",
                  f"{classifier['labelSeed']}): {100 * classifier['testAccuracy']:.1f} % of the test digits as shipped."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    path = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "www/models/manifest.json")
    print(transfer_section(json.loads(path.read_text())), end="")
