"Shared pieces of the benchmarks: the cached 12,000 px scene, the matrix-multiply rate, child-process timing."
import resource, subprocess, sys, time
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parent / "cache"


def bench_name(size: int = 12000) -> str:
    "The benchmark scene's name (and its mask's stem)."
    return f"bench_{size}_liss4"


def bench_scene(size: int = 12000, seed: int = 7) -> Path:
    "A simulated LISS-4 product folder of size x size pixels (procedural layout), generated once into bench/cache."
    from cloudmask_nb.simulate import draw_spec, simulate_scene
    name = bench_name(size)
    folder = CACHE / "scenes" / name
    if not (folder / "BAND_META.txt").is_file():
        t = time.time()
        simulate_scene(CACHE, draw_spec(name, seed, size, size, pixel_size=5.8), block=1024)  # LISS-4 pixels
        print(f"generated {folder} in {time.time() - t:.0f} s (cached for later runs)")
    return folder


def matmul_rate(n: int = 4096, repeats: int = 3) -> float:
    "Best float32 matrix-multiply rate (FLOP/s) of numpy on this machine, over a few repeats."
    a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
    a @ b
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter(); a @ b; best = min(best, time.perf_counter() - t)
    return 2 * n**3 / best


def run_child(args: list) -> tuple[float, float]:
    "Run a command; return its wall time (s) and the peak RSS (GiB) of the children run so far."
    t = time.perf_counter()
    subprocess.run(args, check=True)
    wall = time.perf_counter() - t
    return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20  # ru_maxrss is KiB on Linux


def cloudmask() -> list:
    "The installed `cloudmask` command of this environment."
    return [str(Path(sys.executable).with_name("cloudmask"))]
