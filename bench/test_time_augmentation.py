"""Accuracy and model time of the default model with test-time augmentation (`--tta`: each window also seen flipped,
the views' class probabilities averaged): IoU per class on the simulated test set (12 scenes, simulated LISS-4, never
LISS-4 accuracy) and on every real validation set in ../shared/data (Sentinel-2 and Landsat-8 tiles: validation, not
test), at the defaults and by each set's own convention, for each number of views.

    python bench/test_time_augmentation.py [--test-set DIR] [--views 1,2,4] [--out DIR]
"""
import time

import pandas as pd

from working_resolution import real_scores, settings_parser, simulated_scores, test_set


def main():
    ap = settings_parser(__doc__, "test-time-augmentation")
    ap.add_argument("--views", default="1,2,4", help="comma-separated numbers of views per window (1: no augmentation)")
    a = ap.parse_args()
    folder, rows, views = test_set(a.test_set), [], [int(v) for v in a.views.split(",")]
    for tta in views:
        t = time.time()
        rows += [dict(r, views=tta) for r in simulated_scores(folder, a.out / str(tta) / "simulated", None, tta)
                 + real_scores(a.out / str(tta) / "real", None, tta)]
        print(f"{tta} view(s): {time.time() - t:.0f} s", flush=True)
    table = pd.DataFrame(rows).pivot_table(index=["set", "cls"], columns="views", values="iou", sort=False)[views]
    for v in views[1:]: table[f"{v} - 1"] = table[v] - table[views[0]]
    pd.set_option("display.width", 200)
    print(table.round(3).to_string())
    model = pd.DataFrame(rows).dropna(subset=["model_s"]).groupby("views")["model_s"].first()
    print("model seconds on the simulated test set:", ", ".join(f"{v} view(s) {model[v]:.1f} s" for v in views))


if __name__ == "__main__":
    main()
