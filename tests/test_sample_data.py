"The bundled sample data: complete, readable, labeled consistently, split by scene."
import json

import numpy as np
import pytest
import rasterio

from cloudmask_nb.scene import CLASS_NAMES, NODATA, open_scene
from cloudmask_nb.data import read_manifest
from cloudmask_nb.simulate import LMAX, label_fractions


@pytest.fixture(scope="module")
def manifest(sample_dir):
    return read_manifest(sample_dir)


def test_manifest_splits_by_scene(manifest):
    splits = [row["split"] for row in manifest]
    assert len(manifest) >= 10
    assert {"train", "val", "test"} == set(splits)
    assert len({row["name"] for row in manifest}) == len(manifest)  # a scene is in exactly one split
    for split in ("val", "test"):
        assert any(float(r["snow"]) > 0.01 for r in manifest if r["split"] == split), f"no snow in {split}"
    assert sum(float(r["snow"]) > 0.01 for r in manifest) >= 3


def test_every_scene_reads_and_matches_its_label(manifest, sample_dir):
    for row in manifest:
        folder, label_path = sample_dir / "scenes" / row["name"], sample_dir / "labels" / f"{row['name']}.tif"
        with open_scene(folder) as scene, rasterio.open(label_path) as lab:
            assert (lab.crs, lab.transform, lab.shape) == (scene.crs, scene.transform, scene.shape), row["name"]
            assert lab.nodata == NODATA and lab.dtypes[0] == "uint8"
            label = lab.read(1)
            refl = scene.read()
            assert ((label == NODATA) == np.isnan(refl).any(axis=0)).all(), f"{row['name']}: collar differs"
            fractions = label_fractions(label)
            for name in CLASS_NAMES:
                assert abs(fractions[name] - float(row[name])) < 1e-3, (row["name"], name)
            meta = scene.meta.values
            assert meta["SimulatedBy"] == "cloudmask_nb.simulate"  # honestly marked as simulated
            spec = json.loads(meta["SimSpec"])
            assert spec["name"] == row["name"] and abs(spec["sun_elevation"] - scene.meta.sun_elevation) < 1e-3
            assert scene.meta.lmax == LMAX


def test_dn_is_10_bit_with_zero_only_in_the_collar(manifest, sample_dir):
    row = manifest[0]
    folder = sample_dir / "scenes" / row["name"]
    with rasterio.open(folder / "BAND2.tif") as ds, rasterio.open(sample_dir / "labels" / f"{row['name']}.tif") as lab:
        dn, label = ds.read(1), lab.read(1)
        assert ds.dtypes[0] == "uint16" and dn.max() <= 1023
        assert ((dn == 0) == (label == NODATA)).all()


def test_classes_overlap_in_brightness(manifest, sample_dir):
    "Cloud spans dim to bright, and cloud and snow overlap: a brightness cut-off alone can't separate them."
    cloud_g, snow_g = [], []
    for row in manifest:
        if row["split"] != "train":
            continue
        with open_scene(sample_dir / "scenes" / row["name"]) as scene, \
                rasterio.open(sample_dir / "labels" / f"{row['name']}.tif") as lab:
            green, label = scene.read()[0], lab.read(1)
        cloud_g.append(green[label == 1]); snow_g.append(green[label == 3])
    cloud_g, snow_g = np.concatenate(cloud_g), np.concatenate(snow_g)
    assert np.percentile(cloud_g, 10) < 0.4, "cloud has no medium-bright bodies or edges"
    assert np.percentile(cloud_g, 90) > np.percentile(snow_g, 25), "bright cloud tops never reach snow brightness"
    assert (cloud_g > 0.8).mean() > 0.01, "no cloud tops brighter than 0.8"


def test_committed_scene_is_what_the_simulator_makes(manifest, sample_dir, sparcs_dir, tmp_path):
    "Regenerating a bundled scene from its SPARCS layout and seed gives the committed files bit for bit."
    from cloudmask_nb.simulate import draw_spec, simulate_scene
    row = next(r for r in manifest if r["split"] == "test")
    spec = draw_spec(row["name"], int(row["seed"]), int(row["height"]), int(row["width"]))
    folder = simulate_scene(tmp_path, spec, sparcs_dir / row["layout"])
    for band in ("BAND2.tif", "BAND3.tif", "BAND4.tif"):
        with rasterio.open(folder / band) as new, rasterio.open(sample_dir / "scenes" / row["name"] / band) as old:
            assert (new.read(1) == old.read(1)).all(), band
    with rasterio.open(tmp_path / "labels" / f"{row['name']}.tif") as new, \
            rasterio.open(sample_dir / "labels" / f"{row['name']}.tif") as old:
        assert (new.read(1) == old.read(1)).all()
