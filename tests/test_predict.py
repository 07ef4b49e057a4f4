"`cloudmask predict`: outputs, georeferencing, no-data, band maps, skipping, and failing inputs."
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from cloudmask_nb.cli import main
from cloudmask_nb.scene import NODATA, open_scene

SCENE = "sim_04_LC81370412014105"  # a held-out test scene of the sample set


@pytest.fixture(scope="module")
def crop(sample_dir, tmp_path_factory) -> Path:
    "A 384 x 320 corner of a sample test scene (with no-data collar) as a NIR,R,G uint16 GeoTIFF, reflectance x 10000."
    path = tmp_path_factory.mktemp("crop") / "corner.tif"
    with open_scene(sample_dir / "scenes" / SCENE) as sc:
        refl = sc.read(Window(0, 0, 320, 384))
        transform = rasterio.windows.transform(Window(0, 0, 320, 384), sc.transform)
        crs = sc.crs
    dn = np.where(np.isnan(refl), 0, np.round(refl * 10000)).astype(np.uint16)[::-1]  # NIR, R, G
    with rasterio.open(path, "w", driver="GTiff", width=320, height=384, count=3, dtype="uint16", nodata=0, crs=crs, transform=transform) as ds:
        ds.write(dn)
    return path


def test_predict_liss4_folder_and_geotiff(sample_dir, crop, tmp_path, capsys):
    out = tmp_path / "masks"
    assert main(["predict", str(sample_dir / "scenes" / SCENE), str(crop), "--out", str(out),
                 "--bands", "3,2,1", "--scale", "0.0001", "--probabilities"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{SCENE}.tif", f"{SCENE}_prob.tif", f"{SCENE}.json", "corner.tif", "corner_prob.tif", "corner.json"])
    import pystac
    from rasterio.warp import transform_bounds
    item = pystac.Item.from_file(str(out / "corner.json"))          # each mask's STAC Item: bbox and cloud cover are the mask's
    with rasterio.open(out / "corner.tif") as m: mask, box = m.read(1), transform_bounds(m.crs, "EPSG:4326", *m.bounds, densify_pts=21)
    assert abs(item.properties["eo:cloud_cover"] - 100 * (mask == 1).sum() / (mask != NODATA).sum()) < 0.006
    assert np.allclose(item.bbox, box, atol=1e-6) and item.assets["probabilities"].href == "./corner_prob.tif"
    with open_scene(sample_dir / "scenes" / SCENE) as sc, rasterio.open(out / f"{SCENE}.tif") as m:
        assert (m.crs, m.transform, m.width, m.height) == (sc.crs, sc.transform, sc.width, sc.height)
        whole, valid = m.read(1), sc.valid_mask()
    assert np.array_equal(whole == NODATA, ~valid)  # the no-data collar is kept exactly, nothing else is no-data
    with rasterio.open(crop) as src, rasterio.open(out / "corner.tif") as m:
        assert (m.crs, m.transform) == (src.crs, src.transform)
        corner = m.read(1)
    # the same pixels through a reordered, rescaled GeoTIFF: same classes away from the crop's own border
    inner = (slice(32, 384 - 32), slice(32, 320 - 32))
    assert (corner[inner] == whole[:384, :320][inner]).mean() > 0.99
    with rasterio.open(out / f"{SCENE}_prob.tif") as p:
        assert p.count == 4 and p.dtypes[0] == "uint8"
        probs = p.read(window=Window(500, 500, 64, 64)).astype(int)
    assert np.abs(probs.sum(0) - 255).max() <= 2
    assert np.array_equal(probs.argmax(0), whole[500:564, 500:564])  # the mask is the most probable class


def test_existing_outputs_are_skipped_and_bad_inputs_reported(crop, tmp_path, capsys):
    out = tmp_path / "masks"
    args = [str(crop), "--out", str(out), "--bands", "3,2,1", "--scale", "0.0001"]
    assert main(["predict", *args]) == 0
    before = (out / "corner.tif").stat().st_mtime_ns
    bad = tmp_path / "bad.tif"; bad.write_bytes(b"II*\x00 truncated")
    missing = tmp_path / "nowhere"
    capsys.readouterr()
    assert main(["predict", str(bad), str(missing), *args]) == 1
    captured = capsys.readouterr()
    assert "exists, skipped" in captured.out and (out / "corner.tif").stat().st_mtime_ns == before
    lines = [l for l in captured.err.splitlines() if l.startswith("cloudmask predict:")]  # (progress bars share stderr)
    assert len(lines) == 2 and str(bad) in lines[0] and str(missing) in lines[1]
    assert not list(out.glob(".*partial"))  # nothing half-written left behind
    assert main(["predict", *args, "--force"]) == 0 and (out / "corner.tif").stat().st_mtime_ns != before


@pytest.mark.parametrize("opts, message", [(["--bands", "1,2"], "three band numbers"), (["--bands", "0,1,2"], "three band numbers")])
def test_bad_options_are_usage_errors(crop, tmp_path, capsys, opts, message):
    with pytest.raises(SystemExit) as exit_:
        main(["predict", str(crop), "--out", str(tmp_path), *opts])
    assert exit_.value.code == 2 and message in capsys.readouterr().err


def test_window_not_fitting_the_model_fails_clearly(crop, tmp_path, capsys):
    assert main(["predict", str(crop), "--out", str(tmp_path), "--bands", "3,2,1", "--window", "100"]) == 1
    assert "not a multiple of 16" in capsys.readouterr().err


def test_too_few_bands_names_the_file(crop, tmp_path, capsys):
    assert main(["predict", str(crop), "--out", str(tmp_path), "--bands", "1,2,4"]) == 1
    err = capsys.readouterr().err
    assert str(crop) in err


def test_array_equals_its_geotiff(sample_dir, tmp_path):
    "predict_array on reflectance = `cloudmask predict` on the same values written to a GeoTIFF, pixel for pixel."
    from cloudmask_nb.predict import predict_array
    with open_scene(sample_dir / "scenes" / SCENE) as sc:
        refl, transform, crs = sc.read(Window(100, 200, 300, 260)), rasterio.windows.transform(Window(100, 200, 300, 260), sc.transform), sc.crs
    tif = tmp_path / "array.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=300, height=260, count=3, dtype="float32", nodata=np.nan, crs=crs, transform=transform) as ds:
        ds.write(refl)
    assert main(["predict", str(tif), "--out", str(tmp_path / "out")]) == 0
    with rasterio.open(tmp_path / "out" / "array.tif") as m: from_file = m.read(1)
    assert np.array_equal(predict_array(refl, transform=transform, crs=crs), from_file)
