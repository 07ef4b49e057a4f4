"""Vectorization benchmark: polygons per class from the 12,000 x 12,000 benchmark mask.

    python bench/vectorize_throughput.py [--attributes]

Needs the mask written by bench/predict_throughput.py (bench/cache/masks). Prints wall time, polygons per second and
the peak RSS of the `cloudmask vectorize` process (no sieve, no simplification: every connected region); with
`--attributes`, each polygon also gets its mean Green, Red and NIR reflectance from the scene (`--image`).
"""
import argparse, shutil

import pandas as pd

from common import CACHE, bench_name, cloudmask, run_child


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=12000)
    p.add_argument("--attributes", action="store_true", help="mean reflectance per polygon from the scene's band files")
    a = p.parse_args()
    mask = CACHE / "masks" / f"{bench_name(a.size)}.tif"
    if not mask.is_file(): raise SystemExit(f"{mask} not found: run bench/predict_throughput.py first")
    out = CACHE / "shapes"
    shutil.rmtree(out, ignore_errors=True)
    image = ["--image", str(CACHE / "scenes")] if a.attributes else []
    wall, rss = run_child([*cloudmask(), "vectorize", str(mask), "--out", str(out), "--min-area", "0", *image])
    summary = pd.read_csv(out / mask.stem / "summary.csv")
    n = int(summary.polygons.sum())
    print(summary[["class", "percent_of_valid", "polygons", "polygon_area_m2", "pixel_area_m2"]].to_string(index=False))
    print(f"{n} polygons{' with their mean reflectance' if a.attributes else ''} in {wall:.0f} s: {n / wall:.0f} polygons/s; "
          f"peak RSS of the vectorize process {rss:.2f} GiB")


if __name__ == "__main__":
    main()
