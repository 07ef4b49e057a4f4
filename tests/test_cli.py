"The command line and the papermill pipeline, end to end."
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cloudmask_nb.cli import main



def test_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "run" in out and "simulate" in out


def test_simulate_procedural(tmp_path, capsys):
    assert main(["simulate", "--out", str(tmp_path), "--n", "2", "--size", "80", "--seed", "3"]) == 0
    names = sorted(p.name for p in (tmp_path / "scenes").iterdir())
    assert names == ["procedural_0003_00", "procedural_0003_01"]
    assert sorted(p.name for p in (tmp_path / "labels").iterdir()) == ["procedural_0003_00.tif", "procedural_0003_01.tif"]


def test_simulate_from_a_folder_without_layouts_fails_clearly(tmp_path, capsys):
    assert main(["simulate", "--out", str(tmp_path / "o"), "--sparcs", str(tmp_path)]) == 1
    assert "no SPARCS *_labels.tif files" in capsys.readouterr().err


NOISE = ("Kernel is running over TCP", "KeyboardInterrupt caught in kernel", "oneDNN custom operations", "cpu_feature_guard",
         "Unable to parse line", "absl::InitializeLog")


def test_run_executes_stage_notebooks_and_resumes(tmp_path, capfd):
    capsys = capfd  # file-descriptor level: what native code and kernels write too
    run = tmp_path / "run"
    quick = ["-p", "simulate.demo_size=96", "-p", "train.domain_seconds=0", "-p", "evaluate.loo_folds=0"]   # the lessons' side experiments off: nbdev_test runs them
    assert main(["run", "--run-dir", str(run), *quick]) == 0
    record = json.loads((run / "run.json").read_text())
    assert record["status"] == "done"
    for name, stage in record["stages"].items():
        assert stage["status"] == "done" and Path(stage["notebook"]).is_file(), name
    executed = json.loads((run / "notebooks" / "01_simulate.ipynb").read_text())
    assert any(c.get("outputs") for c in executed["cells"] if c["cell_type"] == "code")  # executed, with outputs
    assert (run / "simulated" / "scenes" / "procedural_demo" / "BAND_META.txt").is_file()
    # the quick profile end to end: executed notebooks, a model, masks, polygons, reports
    assert sorted(p.name for p in (run / "notebooks").glob("*.ipynb")) == [
        "00_scene.ipynb", "01_simulate.ipynb", "02_explore.ipynb", "03_train.ipynb", "04_predict.ipynb", "05_vectorize.ipynb", "06_evaluate.ipynb"]
    assert (run / "model" / "model.keras").is_file() and (run / "model" / "model.json").is_file()
    masks = sorted(p.name for p in (run / "masks").glob("*.tif"))
    assert masks == ["sim_04_LC81370412014105.tif", "sim_04_LC81370412014105_prob.tif", "sim_11_LC82290782013282.tif", "sim_11_LC82290782013282_prob.tif"]
    for name in ("sim_04_LC81370412014105", "sim_11_LC82290782013282"):
        shapes = run / "shapes" / name
        assert all((shapes / f).is_file() for f in ("cloud.shp", "cloud.dbf", "cloud.prj", "shadow.shp", "snow.shp", f"{name}.gpkg", "summary.csv"))
    metrics = json.loads((run / "reports" / "metrics.json").read_text())
    assert (run / "reports" / "metrics.csv").is_file() and (run / "reports" / "confusion_matrix.png").is_file()
    unet, baseline = metrics["overall"], metrics["compared_with"]["baseline"]["overall"]
    assert unet["mean_iou"] > baseline["mean_iou"] and unet["kappa"] > baseline["kappa"]  # plausible: better than the rules
    assert 0.5 < unet["classes"]["cloud"]["iou"] <= 1
    # the run ends with a summary, and report.html links only to what exists
    captured = capsys.readouterr(); out = captured.out
    assert not [n for n in NOISE if n in out + captured.err], "terminal noise in a quick run"
    assert "IoU on the test scenes (simulated):" in out and out.rstrip().splitlines()[-1].startswith("stages: scenes")
    page = (run / "report.html").read_text()
    links = re.findall(r"(?:href|src)='([^']+)'", page)
    assert len(links) > 10 and all((run / link).is_file() for link in links)
    assert "06_evaluate.html" in page and "baseline" in page
    assert main(["run", "--run-dir", str(run), *quick]) == 0  # resumes: all done, all skipped
    assert capsys.readouterr().out.count("skipped") == len(record["stages"])


def test_failing_stage_names_notebook_and_cell(tmp_path, capsys):
    code = main(["run", "--run-dir", str(tmp_path / "r"), "--stage", "simulate", "-p", "simulate.demo_size=-5"])
    assert code == 1
    err = capsys.readouterr().err
    assert "stage simulate failed in" in err and "01_simulate.ipynb, cell" in err
    record = json.loads((tmp_path / "r" / "run.json").read_text())
    assert record["status"] == "failed" and record["stages"]["simulate"]["status"] == "failed"


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("cloudmask")
    out = subprocess.run([str(exe), "simulate", "--help"], capture_output=True, text=True, check=True).stdout
    assert "--sparcs" in out


def test_first_contact_errors_are_clear(sample_dir, tmp_path, capsys):
    "The three errors a newcomer meets first name the file and the problem."
    scene = str(sample_dir / "scenes" / "sim_04_LC81370412014105")
    bad_model = tmp_path / "bad.keras"; bad_model.write_text("junk")
    assert main(["predict", scene, "--out", str(tmp_path / "m"), "--model", str(bad_model)]) == 1
    assert "bad.keras: not a readable Keras model (a .keras file is a zip archive" in capsys.readouterr().err
    a_file = tmp_path / "outfile"; a_file.write_text("")
    assert main(["predict", scene, "--out", str(a_file)]) == 1
    assert "outfile: is a file, not a folder" in capsys.readouterr().err
    assert main(["run", "--data", str(tmp_path / "nowhere"), "--run-dir", str(tmp_path / "run")]) == 1
    assert "nowhere: no such data folder" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()                      # checked before any stage starts
