"Training on GeoTIFF chips with a band map (not only LISS-4 folders), and refusing labels that do not fit their image."
import json

import numpy as np
import pytest
import rasterio
from rasterio.windows import Window

from cloudmask_nb.scene import open_scene
from cloudmask_nb.model import load_model, save_model
from cloudmask_nb.train import TrainConfig, model_card, scene_splits, train, validation_scores, validation_windows


@pytest.fixture(scope="module")
def chips(sample_dir, tmp_path_factory):
    "Three chip folders (<name>/image.tif NIR,R,G uint16 x 10000 + labels.tif) cut from sample scenes."
    root = tmp_path_factory.mktemp("chips")
    for name in ("sim_00_LC81480352013195", "sim_01_LC81490372013362", "sim_02_LC80760912014013"):
        win = Window(256, 256, 256, 256)
        with open_scene(sample_dir / "scenes" / name) as sc, rasterio.open(sample_dir / "labels" / f"{name}.tif") as lab:
            refl, labels = sc.read(win), lab.read(1, window=win)
            t, crs = rasterio.windows.transform(win, sc.transform), sc.crs
        (root / name).mkdir()
        dn = np.where(np.isnan(refl), 0, np.round(refl * 10000)).astype(np.uint16)[::-1]
        with rasterio.open(root / name / "image.tif", "w", driver="GTiff", width=256, height=256, count=3, dtype="uint16", nodata=0, crs=crs, transform=t) as ds:
            ds.write(dn)
        with rasterio.open(root / name / "labels.tif", "w", driver="GTiff", width=256, height=256, count=1, dtype="uint8", nodata=255, crs=crs, transform=t) as ds:
            ds.write(labels[None])
    return root


def test_train_on_geotiff_chips_with_band_map(chips, tmp_path):
    splits = scene_splits([chips], bands=(3, 2, 1), scale=1e-4)
    assert len(splits["train"]) == 2 and len(splits["val"]) == 1
    assert not {s.name for s in splits["train"]} & {s.name for s in splits["val"]}
    cfg = TrainConfig(epochs=1, steps_per_epoch=2, window=64, batch_size=2, val_windows=4, depth=2, base_filters=4, zoom=(1.0, 1.0))
    model, history = train(splits, cfg, tmp_path, verbose=0)
    x, y = validation_windows(splits["val"], 64, 4)
    assert x.shape[1:] == (64, 64, 3) and 0 < np.nanmax(x) < 2  # reflectance through the band map and scale
    card = model_card(model, cfg, splits, [chips], history, 1.0, validation_scores(model, (x, y)))
    path = save_model(model, card, tmp_path / "chips.keras")
    again, card2 = load_model(path)
    assert card2["training"]["val_scenes"] == [splits["val"][0].name]
    assert json.loads(path.with_suffix(".json").read_text())["bands"] == ["green", "red", "nir"]
    assert np.allclose(again.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)


def test_labels_on_another_grid_are_refused(chips, tmp_path):
    bad = chips / "sim_01_LC81490372013362" / "labels.tif"
    moved = tmp_path / "moved"
    (moved / "a").mkdir(parents=True)
    import shutil
    shutil.copy(chips / "sim_00_LC81480352013195" / "image.tif", moved / "a" / "image.tif")
    shutil.copy(bad, moved / "a" / "labels.tif")           # another chip's labels: another place on Earth
    shutil.copytree(chips / "sim_02_LC80760912014013", moved / "b")
    splits = scene_splits([moved], bands=(3, 2, 1), scale=1e-4)
    cfg = TrainConfig(epochs=1, steps_per_epoch=1, window=64, batch_size=2, val_windows=2, depth=2, base_filters=4)
    with pytest.raises(ValueError, match="does not match the image"):
        train(splits, cfg, tmp_path / "out", verbose=0)
