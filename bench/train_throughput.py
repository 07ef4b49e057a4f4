"""Training throughput of the U-Net on this machine: pixels per second and the share of the FLOP-bound rate.

    python bench/train_throughput.py [--window 256] [--batch 8] [--depth 4] [--filters 16] [--steps 20]

A training step costs about 3x the forward FLOPs (forward, gradient w.r.t. activations, gradient w.r.t. weights).
The FLOP-bound rate is this machine's float32 matrix-multiply rate (measured in the same run with numpy) divided by
the FLOPs per trained pixel. Batches are real class-balanced, augmented windows of the bundled sample scenes.
"""
import argparse, time
import numpy as np


def matmul_rate(n: int = 4096, repeats: int = 3) -> float:
    "Best float32 matrix-multiply rate (FLOP/s) of numpy over a few repeats."
    a, b = np.random.rand(n, n).astype(np.float32), np.random.rand(n, n).astype(np.float32)
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best


def _timed(f) -> float:
    t = time.perf_counter(); f(); return time.perf_counter() - t


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--window", type=int, default=256); p.add_argument("--batch", type=int, default=8)
    p.add_argument("--depth", type=int, default=4); p.add_argument("--filters", type=int, default=16)
    p.add_argument("--steps", type=int, default=20); p.add_argument("--warmup", type=int, default=3)
    a = p.parse_args()
    from cloudmask_nb.data import bundled_sample_dir
    from cloudmask_nb.model import flops_per_pixel
    from cloudmask_nb.train import TrainConfig, WindowCatalog, Augment, compile_model, scene_splits, training_dataset
    cfg = TrainConfig(window=a.window, batch_size=a.batch, depth=a.depth, base_filters=a.filters)
    model = compile_model(cfg)
    data = iter(training_dataset(WindowCatalog.build(scene_splits([bundled_sample_dir()])["train"], a.window), a.batch, Augment()))
    batches = [next(data) for _ in range(4)]
    for i in range(a.warmup): model.train_on_batch(*batches[i % 4])
    t = time.perf_counter()
    for i in range(a.steps): model.train_on_batch(*batches[i % 4])
    seconds = time.perf_counter() - t
    px_per_s = a.steps * a.batch * a.window**2 / seconds
    fpp = flops_per_pixel(a.depth, a.filters, a.window)
    rate = matmul_rate()
    bound = rate / (3 * fpp)
    print(f"model: depth {a.depth}, {a.filters} filters, {model.count_params():,} parameters, {fpp / 1e6:.3f} MFLOP/px forward")
    print(f"window {a.window}, batch {a.batch}, {a.steps} steps in {seconds:.1f} s")
    print(f"training throughput: {px_per_s / 1e6:.3f} Mpx/s")
    print(f"matrix-multiply rate (numpy float32, 4096^2): {rate / 1e9:.1f} GFLOP/s")
    print(f"FLOP-bound training rate (3 x forward FLOPs): {bound / 1e6:.3f} Mpx/s; measured is {px_per_s / bound:.0%} of it")


if __name__ == "__main__":
    main()
