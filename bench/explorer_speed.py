"""How fast the explorer opens and redraws a whole 12,000 x 12,000 LISS-4 scene (simulated, bench/cache), in the kernel
(the browser adds sending the picture: see tests/test_browser.py's printed redraw times).

    python bench/explorer_speed.py [--size 12000]

Prints the first view with an empty preview cache (the preview is made), then with the preview cached, and the
redraws after a wheel notch, a drag, a zoom to 8x and a hover, then a sweep of wheel notches from the whole scene to
zoom 22 and drags there. Targets: first view < 1 s, redraw < 0.2 s.
"""
import argparse, os, tempfile, time

from common import CACHE, bench_scene


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size", type=int, default=12000, help="scene side, pixels")
    a = p.parse_args()
    scene = bench_scene(a.size)
    os.environ["CLOUDMASK_CACHE"] = tempfile.mkdtemp(prefix="cloudmask-bench-cache-")   # start from an empty preview cache
    from cloudmask_nb.data import LabeledScene
    from cloudmask_nb.explorer import SceneExplorer
    labels = CACHE / "labels" / f"{scene.name}.tif"
    ls = LabeledScene(scene.name, scene, labels if labels.is_file() else None)
    for attempt in ("preview made", "preview cached"):
        t = time.perf_counter(); ex = SceneExplorer([ls]); first = time.perf_counter() - t
        timed = {}
        for what, act in (("wheel", lambda: ex.zoom_at(384, 384, 1.25)), ("drag", lambda: ex.pan_by(-80, -30, (ex.center_x.value, ex.center_y.value))),
                          ("zoom 8x", lambda: ex.set_view(8, 0.5, 0.5)), ("hover", lambda: ex.hover(300, 300))):
            t = time.perf_counter(); act(); timed[what] = time.perf_counter() - t
        print(f"{a.size} px scene, {attempt}: first view {first:.2f} s; " + ", ".join(f"{k} {v:.2f} s" for k, v in timed.items()))
    ex.set_view(1, 0.5, 0.5); sweep = []
    for _ in range(14):   # wheel notches from the whole scene to zoom 22: every level of detail a look at a cloud edge passes
        t = time.perf_counter(); ex.zoom_at(300, 420, 1.25); sweep.append((ex.zoom.value, time.perf_counter() - t))
    for _ in range(6):    # and drags at the deepest zoom
        t = time.perf_counter(); ex.pan_by(60, 25, (ex.center_x.value, ex.center_y.value)); sweep.append((ex.zoom.value, time.perf_counter() - t))
    print("redraw by zoom: " + ", ".join(f"{z:.1f}x {s:.2f}" for z, s in sweep))
    print(f"redraws: median {sorted(s for _, s in sweep)[len(sweep) // 2]:.2f} s, slowest {max(s for _, s in sweep):.2f} s, "
          f"{sum(s < 0.2 for _, s in sweep)} of {len(sweep)} under 0.2 s")


if __name__ == "__main__":
    main()
