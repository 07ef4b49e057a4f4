"""Accuracy of the inference engines and of test-time augmentation, against the TensorFlow path.

    python bench/engine_agreement.py [--real ../shared/data/real-dev]

On the bundled sample's simulated test scenes and on the real Sentinel-2 chips (cloud-only labels), prints for each
setting: the share of pixels whose class equals the TensorFlow path's, per-class IoU against the truth, and seconds.
Settings: OpenVINO, OpenVINO bfloat16 (on CPUs that have it), OpenVINO int8 (NNCF post-training quantization),
TensorFlow with test-time augmentation (4 views), OpenVINO with it.
"""
import argparse, tempfile, time
from pathlib import Path

import numpy as np
import rasterio


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--real", default=str(Path(__file__).resolve().parents[2] / "shared" / "data" / "real-dev"))
    p.add_argument("--model", default=None, help="a .keras model (default: the shipped one)")
    a = p.parse_args()
    from cloudmask_nb.data import bundled_sample_dir, list_scenes
    from cloudmask_nb.evaluate import ClassSet, evaluate
    from cloudmask_nb.model import cpu_has_bfloat16
    from cloudmask_nb.predict import predict_inputs
    sample = bundled_sample_dir()
    sets = {"simulated test (sample)": ([(p, sample / "labels" / f"{p.name}.tif") for p in (s.image for s in list_scenes(sample, "test"))], None, None, ClassSet())}
    if Path(a.real).is_dir():
        chips = list_scenes(a.real, labeled=True, scale=1e-4)
        sets["real Sentinel-2 chips (cloud only)"] = ([(c.image, c.labels) for c in chips], (1, 2, 3), 1e-4, ClassSet.parse("cloud"))
    settings = {"tensorflow": dict(engine="tensorflow"), "openvino": dict(engine="openvino"), "openvino-bf16": dict(engine="openvino-bf16"),
                "openvino-int8": dict(engine="openvino-int8"), "tensorflow + tta4": dict(engine="tensorflow", tta=4), "openvino + tta4": dict(engine="openvino", tta=4)}
    if not cpu_has_bfloat16(): del settings["openvino-bf16"]
    tmp = Path(tempfile.mkdtemp())
    for set_name, (pairs, bands, scale, classes) in sets.items():
        print(f"\n{set_name}: {len(pairs)} scenes")
        names = [Path(img).parent.name if bands else Path(img).name for img, _ in pairs]
        ref = None
        for label, kw in settings.items():
            t = time.perf_counter()
            done, failed = predict_inputs([img for img, _ in pairs], tmp / set_name / label, a.model, bands=bands, scale=scale,
                                          progress=False, names=names, **kw)
            seconds = time.perf_counter() - t
            assert not failed, failed
            masks = [rasterio.open(d.mask).read(1) for d in done]
            ref = ref or masks
            agree = np.mean(np.concatenate([(m == r).ravel() for m, r in zip(masks, ref)]))
            ev = evaluate({n: (truth, d.mask) for n, (_, truth), d in zip(names, pairs, done)}, classes)
            ious = {c: round(v["iou"], 4) for c, v in ev.overall["classes"].items() if c != "other" and v["iou"] is not None}
            print(f"  {label:20s} same class as tensorflow on {agree:.4%} of pixels; IoU {ious}; {seconds:.1f} s")


if __name__ == "__main__":
    main()
