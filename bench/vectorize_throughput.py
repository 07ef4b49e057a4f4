"""Vectorization benchmark: polygons per class from the 12,000 x 12,000 benchmark mask.

    python bench/vectorize_throughput.py

Needs the mask written by bench/predict_throughput.py (bench/cache/masks). Prints wall time, polygons per second and
the peak RSS of the `cloudmask vectorize` process (no sieve, no simplification: every connected region).
"""
import argparse, shutil

import pandas as pd

from common import CACHE, bench_name, cloudmask, run_child


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=12000)
    a = p.parse_args()
    mask = CACHE / "masks" / f"{bench_name(a.size)}.tif"
    if not mask.is_file(): raise SystemExit(f"{mask} not found: run bench/predict_throughput.py first")
    out = CACHE / "shapes"
    shutil.rmtree(out, ignore_errors=True)
    wall, rss = run_child([*cloudmask(), "vectorize", str(mask), "--out", str(out), "--min-area", "0"])
    summary = pd.read_csv(out / mask.stem / "summary.csv")
    n = int(summary.polygons.sum())
    print(summary[["class", "percent_of_valid", "polygons", "polygon_area_m2", "pixel_area_m2"]].to_string(index=False))
    print(f"{n} polygons in {wall:.0f} s: {n / wall:.0f} polygons/s; peak RSS of the vectorize process {rss:.2f} GiB")


if __name__ == "__main__":
    main()
