"""Accuracy of the default model at each working resolution (issue 25): IoU per class on the simulated test set (the
12 scenes `make_test_set` draws on SPARCS layouts training never sees, 6 of them at about 5.8 m) and on every real
validation set in ../shared/data, at the scene's own resolution and coarser. A coarser default is adopted only where
no set loses more than 0.01 IoU. Simulated figures are simulated LISS-4, never LISS-4 accuracy; the real sets are
Sentinel-2 (10 m) and Landsat-8 (30 m) validation tiles, so a working resolution of 10 m changes only scenes with
pixels finer than about 7 m there.

    python bench/working_resolution.py [--test-set DIR] [--resolutions native,10,20] [--out DIR]
"""
import argparse, time
from pathlib import Path

import pandas as pd

from cloudmask_nb.data import bundled_sample_dir, bundled_sparcs_dir, list_scenes, read_manifest, shared_data_dir
from cloudmask_nb.evaluate import evaluate, score_real_sets
from cloudmask_nb.predict import predict_inputs
from cloudmask_nb.simulate import make_test_set

CACHE = Path(__file__).resolve().parent / "cache"


def test_set(folder: Path) -> Path:
    "The 12-scene simulated test set, made once (the same seed: the same scenes) when no folder is given."
    if not (folder / "manifest.csv").is_file():
        exclude = tuple(r["layout"] for r in read_manifest(bundled_sample_dir()))
        make_test_set(folder, bundled_sparcs_dir(), exclude)
    return folder


def simulated_scores(folder: Path, out: Path, resolution, tta: int = 1) -> list[dict]:
    "IoU per class over the simulated test set (summed confusion matrix) at one working resolution (and test-time augmentation)."
    scenes = list_scenes(folder, labeled=True)
    preds, failed = predict_inputs([s.image for s in scenes], out, resolution=resolution, progress=False, force=True, tta=tta)
    if failed: raise SystemExit(f"could not predict {failed}")
    ev = evaluate({s.name: (s.labels, p.mask) for s, p in zip(scenes, preds)})
    model_s = sum(p.timings["model"] for p in preds)
    return [dict(set="simulated test (12 scenes)", cls=c, iou=ev.overall["classes"][c]["iou"], model_s=model_s) for c in ("cloud", "shadow", "snow")]


def real_scores(out: Path, resolution, tta: int = 1) -> list[dict]:
    "IoU per real validation set and class, at the defaults (tight) and by the set's own convention."
    t = score_real_sets(shared_data_dir(), out, resolution=resolution, tta=tta)
    t = t[(t["tile"] == "all") & (t["setting"] != "baseline")]
    return [dict(set=f"{r.set} ({r.setting})", cls=r.cls, iou=r.iou) for r in t.itertuples()]


def settings_parser(doc: str, out: str) -> argparse.ArgumentParser:
    "The options every accuracy-by-setting script shares: the simulated test set and where predictions go."
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--test-set", type=Path, default=CACHE / "test-set", help="the simulated test set (made here when missing)")
    ap.add_argument("--out", type=Path, default=CACHE / out, help="predictions go here")
    return ap


def main():
    ap = settings_parser(__doc__, "working-resolution")
    ap.add_argument("--resolutions", default="native,10,20", help="comma-separated metres, 'native' for the scene's own")
    a = ap.parse_args()
    folder, rows = test_set(a.test_set), []
    for text in a.resolutions.split(","):
        res = None if text == "native" else float(text)
        t = time.time()
        found = simulated_scores(folder, a.out / text / "simulated", res) + real_scores(a.out / text / "real", res)
        rows += [dict(r, resolution=text) for r in found]
        print(f"{text}: {time.time() - t:.0f} s", flush=True)
    table = pd.DataFrame(rows).pivot_table(index=["set", "cls"], columns="resolution", values="iou", sort=False)
    table = table[a.resolutions.split(",")]
    for col in table.columns[1:]: table[f"{col} - native"] = table[col] - table["native"]
    pd.set_option("display.width", 200)
    print(table.round(3).to_string())
    sim_model = pd.DataFrame(rows).dropna(subset=["model_s"]).groupby("resolution")["model_s"].first()
    print("model seconds on the simulated test set:", ", ".join(f"{r} {sim_model[r]:.1f} s" for r in a.resolutions.split(",")))
    worst = {c: table[f"{c} - native"].min() for c in table.columns if not str(c).endswith("native") and c != "native"}
    for c, w in worst.items(): print(f"{c}: largest loss against native {-w:.3f} IoU ({'within' if w >= -0.01 else 'beyond'} 0.01)")


if __name__ == "__main__":
    main()
