"""Batch benchmark: N simulated scenes masked one after another (`cloudmask predict` in one process) vs as Dask tasks on a
2-worker local cluster (`cloudmask batch --stages predict`).

    python bench/batch_throughput.py [--n 6] [--size 2048] [--workers 2]

Prints scenes per hour both ways, the speed-up, the peak RSS of each worker process, and the model-loading cost the
per-worker cache saves (loading the model for every scene instead of once per worker). Scenes are generated once into
bench/cache/batch.
"""
import argparse, csv, shutil, subprocess, sys, time
from pathlib import Path

from common import CACHE, cloudmask


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=6); p.add_argument("--size", type=int, default=2048); p.add_argument("--workers", type=int, default=2)
    a = p.parse_args()
    from cloudmask_nb.simulate import draw_spec, simulate_scene
    scenes = []
    for i in range(a.n):
        name = f"batch_{a.size}_{i}"
        folder = CACHE / "batch" / "scenes" / name
        if not (folder / "BAND_META.txt").is_file(): simulate_scene(CACHE / "batch", draw_spec(name, 100 + i, a.size, a.size))
        scenes.append(folder)
    out = CACHE / "batch_out"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run([*cloudmask(), "predict", *map(str, scenes), "--out", str(out / "serial")], check=True, capture_output=True)
    serial = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([*cloudmask(), "batch", *map(str, scenes), "--out", str(out / "dask"), "--workers", str(a.workers), "--stages", "predict"],
                   check=True, capture_output=True)
    parallel = time.perf_counter() - t
    with open(out / "dask" / "batch.csv") as f: rows = list(csv.DictReader(f))
    # what loading the model costs (the per-worker cache pays it once per worker instead of once per scene)
    load = subprocess.run([sys.executable, "-c", "import time; t = time.perf_counter(); from cloudmask_nb.model import Predictor; "
                           "Predictor(engine='openvino'); print(time.perf_counter() - t)"], check=True, capture_output=True, text=True)
    load_s = float(load.stdout.strip().splitlines()[-1])
    mpx = a.size**2 / 1e6
    print(f"{a.n} scenes of {a.size} x {a.size} ({mpx:.1f} Mpx each)")
    print(f"serial (cloudmask predict, one process): {serial:.1f} s, {3600 * a.n / serial:.0f} scenes/hour")
    print(f"dask ({a.workers} local workers):         {parallel:.1f} s, {3600 * a.n / parallel:.0f} scenes/hour, speed-up {serial / parallel:.2f}x")
    print(f"per scene on the workers: " + ", ".join(f"{r['scene']} {float(r['seconds']):.1f} s on {r['worker']}" for r in rows))
    peaks = {}
    for r in rows: peaks[r["worker"]] = max(peaks.get(r["worker"], 0), float(r["peak_rss_gib"] or 0))
    print("peak RSS per worker: " + ", ".join(f"{w} {v:.2f} GiB" for w, v in peaks.items()))
    print(f"loading the model (import + OpenVINO compile, converted model cached): {load_s:.1f} s per process; "
          f"the per-worker cache saves {a.n - a.workers} loads = {(a.n - a.workers) * load_s:.0f} s of worker time in this batch")


if __name__ == "__main__":
    main()
