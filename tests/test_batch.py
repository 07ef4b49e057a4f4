"cloudmask batch on a local Dask cluster: same masks as predict, failures recorded, reruns skip, kills leave nothing half-written."
import csv, os, signal, subprocess, sys, time
from pathlib import Path

import pytest

from cloudmask_nb.cli import main

OPTS = ["--window", "128", "--overlap", "32", "--engine", "openvino"]


@pytest.fixture(scope="module")
def scenes(sample_dir):
    return sorted((sample_dir / "scenes").iterdir())[:3]


def rows(out: Path) -> dict:
    with open(out / "batch.csv", newline="") as f: return {r["scene"]: r for r in csv.DictReader(f)}


def test_batch_masks_equal_predict_and_failures_are_recorded(tmp_path, scenes, capsys):
    broken = tmp_path / "broken.tif"; broken.write_text("not a GeoTIFF")
    code = main(["batch", *map(str, scenes), str(broken), "--out", str(tmp_path / "b"), "--workers", "2", *OPTS])
    assert code == 1                                                    # one scene failed
    err = capsys.readouterr().err
    assert "broken" in err
    table = rows(tmp_path / "b")
    assert table["broken"]["status"] == "failed" and "broken.tif" in table["broken"]["error"]
    assert {table[s.name]["status"] for s in scenes} == {"done"}
    assert all(float(table[s.name]["cloud_pct"]) >= 0 for s in scenes)
    assert main(["predict", *map(str, scenes), "--out", str(tmp_path / "p"), *OPTS]) == 0
    for s in scenes:
        assert (tmp_path / "b" / "masks" / f"{s.name}.tif").read_bytes() == (tmp_path / "p" / f"{s.name}.tif").read_bytes()
        assert (tmp_path / "b" / "shapes" / s.name / "summary.csv").is_file()
    # a rerun skips what is done
    assert main(["batch", *map(str, scenes), "--out", str(tmp_path / "b"), "--workers", "1", *OPTS]) == 0
    assert {r["status"] for r in rows(tmp_path / "b").values() if r["scene"] != "broken"} == {"skipped"}


def test_a_killed_batch_leaves_no_partial_files_and_resumes(tmp_path, scenes):
    out = tmp_path / "k"
    exe = Path(sys.executable).with_name("cloudmask")
    proc = subprocess.Popen([str(exe), "batch", *map(str, scenes), "--out", str(out), "--workers", "1", *OPTS],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and not ((out / "batch.csv").is_file() and len(rows(out)) >= 1):
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL); proc.wait()                 # the whole process group: client and workers
    time.sleep(1)
    done_before = [n for n, r in rows(out).items() if r["status"] == "done"]
    assert 1 <= len(done_before) < len(scenes), "the kill should land mid-way"
    partial = [p for p in out.rglob("*") if ".partial" in p.name]
    # a writer killed mid-file leaves only a hidden temporary, never a finished-looking output; the rerun clears it
    assert all(p.name.startswith(".") for p in partial), partial
    assert main(["batch", *map(str, scenes), "--out", str(out), "--workers", "1", *OPTS]) == 0
    table = rows(out)
    assert {table[n]["status"] for n in done_before} == {"skipped"}
    assert {table[s.name]["status"] for s in scenes if s.name not in done_before} == {"done"}
    assert not [p for p in out.rglob("*") if ".partial" in p.name]


def test_a_scheduler_that_does_not_answer_is_a_clear_error(tmp_path, scenes, capsys):
    t = time.time()
    assert main(["batch", str(scenes[0]), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert time.time() - t < 30
    assert "no Dask scheduler answered" in capsys.readouterr().err
