"""Inference benchmark: mask a simulated 12,000 x 12,000 LISS-4 scene with the default model.

    python bench/predict_throughput.py [--size 12000] [--window N] [--overlap N] [--batch N] [--engine openvino|openvino-bf16|openvino-int8|tensorflow] [--resolution M]

Prints megapixels per second, wall time, the peak RSS of the `cloudmask predict` process, and the ratio to the
FLOP-bound rate: this machine's float32 matrix-multiply rate (measured in this run) divided by the model's FLOPs per
pixel, times the share of extra work the window overlap causes. The predict command's own line gives the time split
(reading, model, blending, writing) and its start-up. With `--resolution` the model sees the scene averaged to about
M metres (2 x 2 pixels of 5.8 m at 10 m), which the FLOP bound takes into account. Options left out take `cloudmask predict`'s defaults. The scene is generated
once into bench/cache.
"""
import argparse, shutil

from common import CACHE, bench_scene, cloudmask, matmul_rate, run_child


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    import inspect
    from cloudmask_nb.predict import predict_inputs
    defaults = {k: v.default for k, v in inspect.signature(predict_inputs).parameters.items()}
    p.add_argument("--size", type=int, default=12000); p.add_argument("--window", type=int, default=defaults["window"])
    p.add_argument("--overlap", type=int, default=defaults["overlap"]); p.add_argument("--batch", type=int, default=defaults["batch_size"])
    p.add_argument("--engine", default=defaults["engine"])
    p.add_argument("--resolution", type=float, default=defaults["resolution"], help="working resolution, metres (default: the scene's own)")
    a = p.parse_args()
    scene = bench_scene(a.size)
    out = CACHE / "masks"
    shutil.rmtree(out, ignore_errors=True)
    wall, rss = run_child([*cloudmask(), "predict", str(scene), "--out", str(out), "--window", str(a.window),
                           "--overlap", str(a.overlap), "--batch", str(a.batch), "--engine", a.engine,
                           *(["--resolution", str(a.resolution)] if a.resolution else [])])
    if not (out / f"{scene.name}.tif").is_file(): raise SystemExit(f"no mask written to {out}")
    from cloudmask_nb.scene import window_starts
    from cloudmask_nb.model import default_model_path, model_card
    from cloudmask_nb.predict import fitted_window, working_factor
    card = model_card(default_model_path())
    fpp = card["flops_per_pixel"]
    factor = working_factor(5.8, a.resolution)
    model_side = -(-a.size // factor)
    window = fitted_window(model_side, a.window, a.overlap, card["window_multiple"])
    windows = len(window_starts(model_side, window, a.overlap, flush=True)) ** 2
    redundancy = windows * window**2 / a.size**2  # model pixels computed per scene pixel
    rate = matmul_rate()
    bound = rate / (fpp * redundancy)  # scene pixels per second if the model ran at the matmul rate
    mpx = a.size**2 / 1e6
    print(f"scene {a.size} x {a.size} ({mpx:.0f} Mpx), working resolution {5.8 * factor:g} m, engine {a.engine}, window {window}, overlap {a.overlap}, batch {a.batch}: {windows} windows, "
          f"{redundancy:.2f} model pixels per scene pixel")
    print(f"wall time {wall:.0f} s (model load and writing included); throughput {mpx / wall:.3f} Mpx/s")
    print(f"peak RSS of the predict process: {rss:.2f} GiB")
    print(f"model: {fpp / 1e3:.1f} kFLOP per pixel; matrix-multiply rate {rate / 1e9:.1f} GFLOP/s")
    print(f"FLOP-bound rate {bound / 1e6:.3f} Mpx/s; measured is {mpx * 1e6 / wall / bound:.0%} of it")


if __name__ == "__main__":
    main()
