"`cloudmask vectorize` and `cloudmask evaluate` on the sample labels: files, areas, CRS, pairing, partial class sets."
import json
import shutil

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from scipy import ndimage

from cloudmask_nb.cli import main
from cloudmask_nb.scene import write_mask

SCENE = "sim_04_LC81370412014105"


def _copy_shifted(src, dst, shift):
    with rasterio.open(src) as ds:
        write_mask(dst, np.roll(ds.read(1), shift, axis=1), dict(crs=ds.crs, transform=ds.transform, width=ds.width, height=ds.height))


def test_vectorize_areas_crs_attributes_and_regions(sample_dir, tmp_path, capsys):
    mask = sample_dir / "labels" / f"{SCENE}.tif"
    assert main(["vectorize", str(mask), "--out", str(tmp_path / "a"), "--min-area", "0", "--image", str(sample_dir / "scenes")]) == 0
    folder = tmp_path / "a" / SCENE
    with rasterio.open(mask) as ds:
        labels, crs, px = ds.read(1), ds.crs, abs(ds.transform.a * ds.transform.e)
    for cid, cname in ((1, "cloud"), (2, "shadow"), (3, "snow")):
        shp = gpd.read_file(folder / f"{cname}.shp")
        gpk = gpd.read_file(folder / f"{SCENE}.gpkg", layer=cname)
        assert shp.crs.to_epsg() == crs.to_epsg() == gpk.crs.to_epsg()
        assert shp.geometry.area.sum() == pytest.approx((labels == cid).sum() * px, rel=1e-9)
        assert {"class_id", "class_name", "area_m2", "perim_m", "mean_green", "mean_red", "mean_nir"} <= set(gpk.columns)
        assert (gpk.class_id == cid).all() and (gpk.class_name == cname).all()
        # one polygon per connected region (4-connectivity), with the region's area
        regions, n = ndimage.label(labels == cid)
        assert len(shp) == n
        assert np.allclose(sorted(shp.geometry.area / px), sorted(np.bincount(regions.ravel())[1:]))
    summary = (folder / "summary.csv").read_text()
    assert "percent_of_valid" in summary and "polygons" in summary


def test_vectorize_bad_inputs(sample_dir, tmp_path, capsys):
    no_crs = tmp_path / "nocrs.tif"
    with rasterio.open(no_crs, "w", driver="GTiff", width=8, height=8, count=1, dtype="uint8") as ds:
        ds.write(np.ones((1, 8, 8), np.uint8))
    band = sample_dir / "scenes" / SCENE / "BAND2.tif"
    assert main(["vectorize", str(no_crs), str(band), "--out", str(tmp_path / "o")]) == 1
    err = [l for l in capsys.readouterr().err.splitlines() if l.startswith("cloudmask vectorize:")]
    assert len(err) == 2 and "no CRS" in err[0] and "not a class mask" in err[1]
    assert not list((tmp_path / "o").glob(".*"))  # nothing half-written


def test_evaluate_pairs_reports_and_scores(sample_dir, tmp_path, capsys):
    pred, truth = tmp_path / "pred", tmp_path / "truth"
    pred.mkdir(); truth.mkdir()
    for name in ("sim_04_LC81370412014105", "sim_11_LC82290782013282"):
        shutil.copy(sample_dir / "labels" / f"{name}.tif", truth / f"{name}.tif")
        _copy_shifted(sample_dir / "labels" / f"{name}.tif", pred / f"{name}.tif", 4)
    shutil.copy(sample_dir / "labels" / "sim_00_LC81480352013195.tif", pred / "only_pred.tif")
    out = tmp_path / "reports"
    assert main(["evaluate", "--pred", str(pred), "--truth", str(truth), "--out", str(out), "--images", str(sample_dir / "scenes")]) == 0
    captured = capsys.readouterr()
    assert "only_pred.tif is in --pred but not in --truth" in captured.err
    assert "cloud" in captured.out and "iou" in captured.out
    metrics = json.loads((out / "metrics.json").read_text())
    assert sorted(metrics["scenes"]) == ["sim_04_LC81370412014105", "sim_11_LC82290782013282"]
    # the overall scores come from the summed confusion matrix, checked here by hand
    cm = np.array(metrics["confusion"], float)
    assert cm.sum() == sum(np.array(s["confusion"]).sum() for s in metrics["scenes"].values())
    tp = cm[1, 1]; fp = cm[:, 1].sum() - tp; fn = cm[1].sum() - tp
    assert metrics["overall"]["classes"]["cloud"]["iou"] == pytest.approx(tp / (tp + fp + fn))
    assert sorted(p.name for p in out.iterdir()) == sorted(["metrics.json", "metrics.csv", "confusion_matrix.png", "scores.png",
                                                            "scene_sim_04_LC81370412014105.png", "scene_sim_11_LC82290782013282.png"])


def test_evaluate_cloud_only_merges_the_rest(sample_dir, tmp_path, capsys):
    pred, truth = tmp_path / "pred", tmp_path / "truth"
    pred.mkdir(); truth.mkdir()
    shutil.copy(sample_dir / "labels" / f"{SCENE}.tif", truth / "s.tif")
    _copy_shifted(sample_dir / "labels" / f"{SCENE}.tif", pred / "s.tif", 2)
    assert main(["evaluate", "--pred", str(pred), "--truth", str(truth), "--out", str(tmp_path / "r"), "--classes", "cloud"]) == 0
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["classes"] == ["cloud", "other"] and "merged into 'other'" in metrics["about"]["note"]
    assert "merged into 'other'" in capsys.readouterr().out


def test_evaluate_mismatched_grid_and_unknown_class(sample_dir, tmp_path, capsys):
    pred, truth = tmp_path / "pred", tmp_path / "truth"
    pred.mkdir(); truth.mkdir()
    shutil.copy(sample_dir / "labels" / f"{SCENE}.tif", truth / "s.tif")
    write_mask(pred / "s.tif", np.zeros((10, 10), np.uint8), dict(crs="EPSG:32643", transform=rasterio.transform.from_origin(0, 0, 5.8, 5.8), width=10, height=10))
    assert main(["evaluate", "--pred", str(pred), "--truth", str(truth), "--out", str(tmp_path / "r")]) == 1
    assert "does not match the truth" in capsys.readouterr().err
    assert main(["evaluate", "--pred", str(pred), "--truth", str(truth), "--out", str(tmp_path / "r"), "--classes", "clouds"]) == 1
    assert "valid classes" in capsys.readouterr().err


def test_evaluate_edge_tolerance_leaves_out_label_edges(sample_dir, tmp_path):
    "A mask drawn 2 pixels to the right errs only within 2 pixels of the labeled edges (and where the roll wraps round)."
    pred, truth = tmp_path / "pred", tmp_path / "truth"
    pred.mkdir(); truth.mkdir()
    shutil.copy(sample_dir / "labels" / f"{SCENE}.tif", truth / "s.tif")
    _copy_shifted(sample_dir / "labels" / f"{SCENE}.tif", pred / "s.tif", 2)
    iou = {}
    for k in (0, 2):
        assert main(["evaluate", "--pred", str(pred), "--truth", str(truth), "--out", str(tmp_path / f"r{k}"), "--edge-tolerance", str(k)]) == 0
        metrics = json.loads((tmp_path / f"r{k}" / "metrics.json").read_text())
        iou[k] = metrics["overall"]["classes"]["cloud"]["iou"]
        assert metrics["about"].get("edge_tolerance_px") == (k or None)
    with rasterio.open(truth / "s.tif") as ds: lab = ds.read(1)
    wrapped = (lab[:, -2:] == 1).sum() + (lab[:, :2] == 1).sum()  # the two columns the roll carries from one side to the other
    assert iou[0] < 0.95 and iou[2] >= 1 - wrapped / (lab == 1).sum()
