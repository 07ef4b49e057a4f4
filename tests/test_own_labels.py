"Training on your own scenes: labels in the forms people have, checked, then trained on from the command line."
import shutil

import geopandas as gpd
import numpy as np
import rasterio
from rasterio.features import shapes
from shapely.geometry import shape

from cloudmask_nb.cli import main
from cloudmask_nb.model import load_model

NAMES = ("sim_04_LC81370412014105", "sim_11_LC82290782013282", "sim_07_LC81730542014277")
TINY = ["--epochs", "1", "--steps-per-epoch", "2", "--window", "32", "--batch", "2", "--val-windows", "2", "--depth", "2", "--filters", "4"]


def scenes_and_polygons(sample_dir, tmp_path):
    "Three bundled scenes, their clouds as polygons in EPSG:4326 and their shadows as a shapefile in UTM (one form each)."
    images, labels = tmp_path / "images", tmp_path / "labels"
    images.mkdir(); labels.mkdir()
    for name in NAMES:
        (images / name).symlink_to(sample_dir / "scenes" / name, target_is_directory=True)
        with rasterio.open(sample_dir / "labels" / f"{name}.tif") as ds: lab, t, crs = ds.read(1), ds.transform, ds.crs
        polys = lambda k: [shape(g) for g, v in shapes((lab == k).astype(np.uint8), transform=t) if v == 1]
        gpd.GeoDataFrame(geometry=polys(1), crs=crs).to_crs("EPSG:4326").to_file(labels / f"{name}.gpkg", layer="cloud")
        gpd.GeoDataFrame(geometry=polys(2), crs=crs).to_file(labels / f"{name}.gpkg", layer="shadow")
    return images, labels


def test_check_labels_reports_forms_and_problems(sample_dir, tmp_path, capsys):
    assert main(["check-labels", str(sample_dir)]) == 0
    assert "12 scene(s) with labels, 0 problem(s)" in capsys.readouterr().out
    images, labels = scenes_and_polygons(sample_dir, tmp_path)
    assert main(["check-labels", str(images), "--labels", str(labels)]) == 0
    out = capsys.readouterr().out
    assert "polygons" in out and "3 scene(s) with labels" in out
    # a label GeoTIFF on another grid and a scene without labels: named, exit status 1
    with rasterio.open(sample_dir / "labels" / f"{NAMES[0]}.tif") as ds: prof = ds.profile
    prof.update(width=100, height=100)
    with rasterio.open(labels / f"{NAMES[1]}.tif", "w", **prof) as ds: ds.write(np.zeros((1, 100, 100), np.uint8))
    (labels / f"{NAMES[2]}.gpkg").unlink()
    assert main(["check-labels", str(images), "--labels", str(labels)]) == 1
    err = capsys.readouterr().err
    assert f"{NAMES[1]}.tif: its grid (100 x 100 px" in err and f"no labels for scene {NAMES[2]}" in err


def test_train_on_polygons_with_partial_classes_and_fine_tune(sample_dir, tmp_path, capsys):
    images, labels = scenes_and_polygons(sample_dir, tmp_path)
    assert main(["train", "--images", str(images), "--labels", str(labels), "--out", str(tmp_path / "m"), *TINY]) == 0
    model, card = load_model(tmp_path / "m" / "model.keras")
    prepared = tmp_path / "m" / "data" / "labels" / f"{NAMES[0]}.tif"
    with rasterio.open(prepared) as ds: codes = set(np.unique(ds.read(1)))
    assert codes <= {1, 2, 16 + 1 + 8, 255}              # cloud, shadow, and "background or snow" where neither was drawn
    assert card["training"]["parent"] is None
    assert main(["train", "--images", str(images), "--labels", str(labels), "--out", str(tmp_path / "ft"), *TINY,
                 "--init-model", str(tmp_path / "m" / "model.keras"), "--freeze-epochs", "1", "--epochs", "2"]) == 0
    child = load_model(tmp_path / "ft" / "model.keras")[1]
    assert child["training"]["parent"]["path"] == "m/model.keras"   # recorded without the machine's folders


def test_fmask_coded_labels_need_their_map(sample_dir, tmp_path, capsys):
    images, labels = tmp_path / "images", tmp_path / "labels"
    images.mkdir(); labels.mkdir()
    for name in NAMES:
        (images / name).symlink_to(sample_dir / "scenes" / name, target_is_directory=True)
        with rasterio.open(sample_dir / "labels" / f"{name}.tif") as ds: lab, prof = ds.read(1), ds.profile
        fmask = np.array([0, 4, 2, 3], np.uint8)[np.minimum(lab, 3)]; fmask[lab == 255] = 255
        with rasterio.open(labels / f"{name}.tif", "w", **prof) as ds: ds.write(fmask[None])
    assert main(["check-labels", str(images), "--labels", str(labels)]) == 1
    assert "give a label map" in capsys.readouterr().err
    assert main(["check-labels", str(images), "--labels", str(labels), "--label-map", "fmask"]) == 0
