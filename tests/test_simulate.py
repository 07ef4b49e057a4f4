"The simulator: deterministic, block-invariant, geometrically consistent, and atomic on failure."
import math

import numpy as np
import pytest
import rasterio

import cloudmask_nb.simulate as sim
from cloudmask_nb.scene import CLOUD, NODATA, SHADOW, open_scene


def read_dn(folder):
    return np.stack([rasterio.open(folder / f).read(1) for f in ("BAND2.tif", "BAND3.tif", "BAND4.tif")])


def test_same_seed_same_scene(tmp_path):
    spec = sim.draw_spec("a", 11, 96, 96)
    a = sim.simulate_scene(tmp_path / "one", spec)
    b = sim.simulate_scene(tmp_path / "two", sim.draw_spec("a", 11, 96, 96))
    assert (read_dn(a) == read_dn(b)).all()
    c = sim.simulate_scene(tmp_path / "three", sim.draw_spec("a", 12, 96, 96))
    assert not (read_dn(a) == read_dn(c)).all()


def test_shadows_lie_where_the_metadata_says(tmp_path):
    "The cloud-to-shadow offset in the labels matches sun azimuth, elevation and cloud height in BAND_META.txt."
    spec = sim.draw_spec("geom", 3, 512, 512, cloud_amount=0.25, snowline=2.0, collar_margin=0.0, collar_angle=0.0,
                         sun_azimuth=120.0, sun_elevation=40.0, cloud_height=500.0)
    folder = sim.simulate_scene(tmp_path, spec)
    label = rasterio.open(tmp_path / "labels" / "geom.tif").read(1)
    with open_scene(folder) as scene:
        meta = scene.meta
    height = float(meta.values["SimCloudHeightM"])
    length = height / math.tan(math.radians(meta.sun_elevation)) / scene.pixel_size[0]
    bearing = math.radians(meta.sun_azimuth + 180)
    expected = (-length * math.cos(bearing), length * math.sin(bearing))
    found = sim.shadow_offset_from_layout(label == CLOUD, label == SHADOW, max_shift=150)
    assert found is not None
    assert math.hypot(found[0] - expected[0], found[1] - expected[1]) < 0.15 * length + 3


def test_sparcs_layout_sun_agrees_with_its_shadows(tmp_path, sparcs_dir):
    path = sorted(sparcs_dir.glob("*_labels.tif"))[3]
    layout = sim.SparcsLayout(path, sim.draw_spec("sp", 5, 256, 256))
    spec = layout.spec  # the layout returns the spec with its place and sun
    if layout.offset is None:
        pytest.skip("layout has no cloud/shadow pair")
    drow, dcol = spec.shadow_offset
    assert math.hypot(drow - layout.offset[0] * spec.zoom, dcol - layout.offset[1] * spec.zoom) < 1e-6
    assert 15 <= spec.sun_elevation <= 80


def test_interrupted_simulation_leaves_nothing(tmp_path, monkeypatch):
    calls = {"n": 0}
    real = sim.render_block

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(sim, "render_block", flaky)
    with pytest.raises(KeyboardInterrupt):
        sim.simulate_scene(tmp_path, sim.draw_spec("cut", 1, 200, 200), block=64)
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert left == [], f"half-written files left behind: {left}"
    assert not (tmp_path / "scenes" / "cut").exists()


def test_procedural_scene_of_any_size_in_blocks(tmp_path):
    "A scene larger than the block is rendered block by block and keeps its collar as no-data."
    spec = sim.draw_spec("big", 2, 700, 900)
    folder = sim.simulate_scene(tmp_path, spec, block=256)
    label = rasterio.open(tmp_path / "labels" / "big.tif").read(1)
    assert label.shape == (700, 900)
    assert label[0, 0] == NODATA and label[350, 450] != NODATA
    dn = read_dn(folder)
    assert ((dn == 0).all(axis=0) == (label == NODATA)).all()
