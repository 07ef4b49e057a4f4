"""A published CPU peer beside `cloudmask predict`, start to finish, on the same array (issue 25).

    python bench/peers.py [--size 4000] [--scene FOLDER] [--resolution 10]

The peer is ukis-csmask (a U-Net by DLR, ONNX Runtime on the CPU; `pip install -e '.[bench]'`). It reads Blue,
Green, Red and NIR; our scenes have no blue band, so it is fed Green as Blue: its masks are not compared here, only
its speed. Both run as fresh processes on a float32 reflectance GeoTIFF of `--size` x `--size` pixels at 5.8 m
(the bundled sample's 5.8 m scenes tiled), or on a LISS-4 product folder (`--scene`, e.g. the 12,000 px scene of
predict_throughput.py), and both write a mask GeoTIFF: wall time is from process start to the written mask. Ours
runs at its defaults and, with `--resolution`, at that working resolution too.
"""
import argparse, shutil, sys, time
from pathlib import Path

import numpy as np
import rasterio

from common import CACHE, cloudmask, matmul_rate, run_child

PEER = r'''
import sys, time
import numpy as np, rasterio
from ukis_csmask.mask import CSmask
src, dst = sys.argv[1], sys.argv[2]
with rasterio.open(src) as f:
    g, r, n = f.read().astype(np.float32)
    profile = f.profile
img = np.stack([g, g, r, n], -1)   # no blue band: green stands in for it (speed only)
t = time.perf_counter()
mask = CSmask(img, band_order=["blue", "green", "red", "nir"], nodata_value=0).csm
print(f"peer model {time.perf_counter() - t:.1f} s", file=sys.stderr)
profile.update(count=1, dtype="uint8", nodata=None, compress="deflate")
with rasterio.open(dst, "w", **profile) as f: f.write(mask[..., 0].astype(np.uint8), 1)
'''


def tiled_array(size: int) -> Path:
    "A float32 reflectance GeoTIFF of size x size pixels: the sample's 5.8 m scenes tiled, made once into bench/cache."
    path = CACHE / f"peers_{size}.tif"
    if path.is_file(): return path
    from cloudmask_nb.data import bundled_sample_dir, list_scenes
    from cloudmask_nb.scene import open_scene
    tiles = []
    for folder in (s.image for s in list_scenes(bundled_sample_dir())):
        with open_scene(folder) as s:
            if abs(s.profile()["transform"].a - 5.8) < 1e-6: tiles.append(np.nan_to_num(s.read()).astype(np.float32)); grid = s.profile()
    th, tw = tiles[0].shape[1:]
    out = np.zeros((3, size, size), np.float32)
    for k, (y, x) in enumerate((y, x) for y in range(0, size, th) for x in range(0, size, tw)):
        t = tiles[k % len(tiles)]
        out[:, y:y + th, x:x + tw] = t[:, :size - y, :size - x]
    CACHE.mkdir(parents=True, exist_ok=True)
    with rasterio.open(path, "w", driver="GTiff", width=size, height=size, count=3, dtype="float32", crs=grid["crs"],
                       transform=grid["transform"], tiled=True, blockxsize=256, blockysize=256, compress="deflate") as f:
        f.write(out)
    return path


def peer_input(scene: Path) -> Path:
    "A LISS-4 product folder as the float32 reflectance GeoTIFF the peer reads (written once into bench/cache)."
    path = CACHE / f"peers_{scene.name}.tif"
    if path.is_file(): return path
    from cloudmask_nb.scene import grid_windows, open_scene
    with open_scene(scene) as s:
        grid = s.profile()
        with rasterio.open(path, "w", driver="GTiff", width=s.width, height=s.height, count=3, dtype="float32", crs=grid["crs"],
                           transform=grid["transform"], tiled=True, compress="deflate") as f:
            for w in grid_windows(s.height, s.width, (1024, s.width)):
                f.write(np.nan_to_num(s.read(w)).astype(np.float32), window=w)
    return path


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=4000, help="side of the tiled array, pixels (without --scene)")
    p.add_argument("--scene", type=Path, help="a LISS-4 product folder to run instead of the tiled array")
    p.add_argument("--resolution", type=float, default=10.0, help="also run ours at this working resolution, metres (0: only the defaults)")
    a = p.parse_args()
    ours_in, scale = (a.scene, []) if a.scene else (tiled_array(a.size), ["--scale", "1"])
    peer_in = peer_input(a.scene) if a.scene else ours_in
    with rasterio.open(peer_in) as f: mpx = f.width * f.height / 1e6
    print(f"input: {ours_in} ({mpx:.1f} Mpx); matrix-multiply rate {matmul_rate() / 1e9:.0f} GFLOP/s in this run", flush=True)
    out = CACHE / "peers-out"; shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    peer_wall, rss = run_child([sys.executable, "-c", PEER, str(peer_in), str(out / "peer.tif")])
    print(f"ukis-csmask: {peer_wall:.1f} s start to finish ({mpx / peer_wall:.2f} Mpx/s), peak RSS {rss:.2f} GiB", flush=True)
    runs = [("cloudmask predict, defaults", [])] + ([(f"cloudmask predict --resolution {a.resolution:g}", ["--resolution", str(a.resolution)])] if a.resolution else [])
    for label, extra in runs:
        wall, rss = run_child([*cloudmask(), "predict", str(ours_in), "--out", str(out / "ours"), "--force", *scale, *extra])
        print(f"{label}: {wall:.1f} s start to finish ({mpx / wall:.2f} Mpx/s); {peer_wall / wall:.2f} x the peer's speed", flush=True)
    print(f"peak RSS of any child so far: {rss:.2f} GiB (the peer's when it is the largest: ru_maxrss keeps the maximum)")


if __name__ == "__main__":
    main()
