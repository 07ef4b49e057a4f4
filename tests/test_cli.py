"The command line and the papermill pipeline, end to end."
import json
import subprocess
import sys
from pathlib import Path

import pytest

from cloudmask_nb.cli import main

CLOUDMASK = [sys.executable, "-m", "cloudmask_nb.cli"]


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


def test_run_executes_stage_notebooks_and_resumes(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["run", "--run-dir", str(run), "-p", "simulate.demo_size=96"]) == 0
    record = json.loads((run / "run.json").read_text())
    assert record["status"] == "done"
    for name, stage in record["stages"].items():
        assert stage["status"] == "done" and Path(stage["notebook"]).is_file(), name
    executed = json.loads((run / "notebooks" / "01_simulate.ipynb").read_text())
    assert any(c.get("outputs") for c in executed["cells"] if c["cell_type"] == "code")  # executed, with outputs
    assert (run / "simulated" / "scenes" / "procedural_demo" / "BAND_META.txt").is_file()
    capsys.readouterr()
    assert main(["run", "--run-dir", str(run), "-p", "simulate.demo_size=96"]) == 0  # resumes: all done, all skipped
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
