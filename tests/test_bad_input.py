"Bad input fails with a clear error that names the file and the problem."
import shutil
from pathlib import Path

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from cloudmask_nb.scene import LISS4_FILES, SceneError, open_scene

META = """DateOfPass=06-FEB-2020
SunElevationAtCenter=62.26
SunAziumthAtCenter=141.5
B2_Lmin=0
B3_Lmin=0
B4_Lmin=0
B2_Lmax=52.0
B3_Lmax=47.0
B4_Lmax=31.5
"""


def write(path, data, crs="EPSG:32643", transform=from_origin(500000, 2000000, 5.8, 5.8), driver="GTiff"):
    data = np.atleast_3d(data).transpose(2, 0, 1) if data.ndim == 2 else data
    kw = dict(crs=crs, transform=transform) if crs else {}
    with rasterio.open(path, "w", driver=driver, width=data.shape[2], height=data.shape[1], count=data.shape[0],
                       dtype=data.dtype, **kw) as ds:
        ds.write(data)


@pytest.fixture
def product(tmp_path) -> Path:
    folder = tmp_path / "scene"
    folder.mkdir()
    for name in LISS4_FILES:
        write(folder / name, np.full((20, 30), 400, np.uint16))
    (folder / "BAND_META.txt").write_text(META)
    return folder


def test_good_product_reads(product):
    with open_scene(product) as scene:
        assert scene.read().shape == (3, 20, 30)


def test_missing_band_file(product):
    (product / "BAND4.tif").unlink()
    with pytest.raises(SceneError, match=r"scene: not a LISS-4 product folder, missing BAND4.tif"):
        open_scene(product)


def test_missing_meta(product):
    (product / "BAND_META.txt").unlink()
    with pytest.raises(SceneError, match="missing BAND_META.txt"):
        open_scene(product)


@pytest.mark.parametrize("text, problem", [
    (META.replace("DateOfPass=06-FEB-2020\n", ""), "DateOfPass is missing"),
    (META.replace("06-FEB-2020", "2020-02-06"), "DateOfPass is not a date"),
    (META.replace("B4_Lmax=31.5", "B4_Lmax=n/a"), "B4_Lmax is not a number"),
    (META.replace("SunElevationAtCenter=62.26", "SunElevationAtCenter=-5"), "SunElevationAtCenter must be in"),
    (META.replace("B2_Lmax=52.0", "B2_Lmax=0"), "B2_Lmax (0.0) must exceed"),
    ("this is not metadata\n", "no key=value lines"),
    ("", "no key=value lines"),
])
def test_broken_meta_names_file_and_key(product, text, problem):
    (product / "BAND_META.txt").write_text(text)
    with pytest.raises(SceneError, match="BAND_META.txt") as err:
        open_scene(product)
    assert problem in str(err.value)


@pytest.mark.parametrize("change, problem", [
    (dict(data=np.full((21, 30), 400, np.uint16)), "size differs"),
    (dict(crs="EPSG:32644"), "CRS differs"),
    (dict(transform=from_origin(500005.8, 2000000, 5.8, 5.8)), "transform differs"),
])
def test_mismatched_band_grids(product, change, problem):
    write(product / "BAND3.tif", change.pop("data", np.full((20, 30), 400, np.uint16)), **change)
    with pytest.raises(SceneError, match="band files must share one grid") as err:
        open_scene(product)
    assert "BAND3.tif: its grid" in str(err.value) and problem in str(err.value)


def test_band_without_crs(product):
    write(product / "BAND2.tif", np.full((20, 30), 400, np.uint16), crs=None)
    with pytest.raises(SceneError, match="BAND2.tif: has no CRS"):
        open_scene(product)


def test_non_geotiff_files(tmp_path):
    text = tmp_path / "notes.tif"
    text.write_text("not an image")
    with pytest.raises(SceneError, match="notes.tif: not a readable raster"):
        open_scene(text)
    png = tmp_path / "picture.png"
    write(png, np.zeros((3, 8, 8), np.uint8), driver="PNG", crs=None)
    with pytest.raises(SceneError, match="picture.png: expected a GeoTIFF, found a PNG file"):
        open_scene(png)


def test_corrupt_geotiff(tmp_path):
    good = tmp_path / "good.tif"
    write(good, np.random.default_rng(0).integers(0, 1000, (3, 64, 64), dtype=np.uint16))
    header_only = tmp_path / "header_only.tif"
    header_only.write_bytes(good.read_bytes()[:300])
    with pytest.raises(SceneError, match="header_only.tif"):
        with open_scene(header_only, scale=1e-4) as scene:
            scene.read()
    body = good.read_bytes()
    truncated = tmp_path / "truncated.tif"
    truncated.write_bytes(body[: len(body) * 2 // 3])
    with pytest.raises(SceneError, match=r"truncated.tif: cannot read .*corrupt or truncated"):
        with open_scene(truncated, scale=1e-4) as scene:
            scene.read()


def test_too_few_bands_for_band_map(tmp_path):
    two = tmp_path / "two.tif"
    write(two, np.ones((2, 8, 8), np.uint16))
    with pytest.raises(SceneError, match=r"two.tif: has 2 band\(s\) but the band map asks for bands \(1, 2, 3\)"):
        open_scene(two)
    with pytest.raises(SceneError, match="needs 3 band numbers"):
        open_scene(two, bands=(1, 2))


def test_band_map_on_a_liss4_folder_is_refused(product):
    with pytest.raises(SceneError, match="takes its radiometry from BAND_META.txt"):
        open_scene(product, bands=(1, 2, 3))


def test_missing_path(tmp_path):
    with pytest.raises(SceneError, match="no such file or folder"):
        open_scene(tmp_path / "nowhere.tif")


def test_forgotten_scale_is_refused_not_guessed(tmp_path, capsys):
    "Reflectance x 10,000 without --scale, or with a scale that leaves it above 2: refused, naming the file and what to pass."
    from cloudmask_nb.cli import main
    chip = tmp_path / "chip.tif"
    write(chip, np.stack([np.full((40, 50), v, np.uint16) for v in (800, 700, 2500)]))
    assert main(["predict", str(chip), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "chip.tif" in err and "no scale in the file" in err and "--scale 0.0001" in err
    assert main(["predict", str(chip), "--out", str(tmp_path / "out"), "--scale", "1"]) == 1
    assert "cannot be reflectance" in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.tif"))                     # nothing written for a refused scene


def test_training_and_prediction_read_a_chip_alike(tmp_path):
    "Training and prediction share one scale rule: the chip's own GDAL scale is used by both when no scale is given."
    from cloudmask_nb.data import list_scenes
    chip = tmp_path / "chips" / "a" / "image.tif"; chip.parent.mkdir(parents=True)
    write(chip, np.stack([np.full((40, 50), v, np.uint16) for v in (800, 700, 2500)]))
    with rasterio.open(chip, "r+") as ds: ds.scales = (1e-4,) * 3
    write(chip.parent / "labels.tif", np.zeros((40, 50), np.uint8))
    with list_scenes(tmp_path / "chips", labeled=True)[0].open() as training_view, open_scene(chip) as prediction_view:
        assert np.allclose(training_view.read(), prediction_view.read()) and np.allclose(prediction_view.read()[:, 0, 0], [0.08, 0.07, 0.25])
