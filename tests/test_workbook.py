"The workbook's own consistency: package in sync with the notebooks, clean notebooks, one dependency list."
import configparser
import filecmp
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_export_leaves_no_diff(tmp_path):
    "nbdev_export run on a copy of the notebooks rewrites the package exactly as committed."
    for item in ("settings.ini", "notebooks"):
        src = ROOT / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp_path / item)
    (tmp_path / "cloudmask_nb").mkdir()
    shutil.copy(ROOT / "cloudmask_nb" / "__init__.py", tmp_path / "cloudmask_nb")
    exe = Path(sys.executable).with_name("nbdev_export")
    subprocess.run([str(exe)], cwd=tmp_path, check=True, capture_output=True)
    made = sorted(p.name for p in (tmp_path / "cloudmask_nb").glob("*.py"))
    have = sorted(p.name for p in (ROOT / "cloudmask_nb").glob("*.py"))
    assert made == have, f"exported modules {made} differ from the package's {have}: run nbdev_export"
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "cloudmask_nb", ROOT / "cloudmask_nb", made, shallow=False)
    assert not mismatch and not errors, f"out of sync with the notebooks: {mismatch + errors}; run nbdev_export and commit"


def test_notebooks_are_clean():
    "No outputs or execution counts are committed (nbdev_clean)."
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs: run nbdev_clean"


def test_notebooks_follow_the_house_layout():
    "Each notebook opens with #| default_exp, then an H1 title and a one-line > summary."
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]*.ipynb")):
        cells = nbformat.read(path, as_version=4).cells
        assert cells[0].source.startswith("#| default_exp"), path.name
        assert re.match(r"# \S", cells[1].source) and "\n> " in cells[1].source, f"{path.name}: title and > summary"


def _names(specs):
    return {re.split(r"[<>=!~\[ ]", s.strip(), maxsplit=1)[0].lower().replace("_", "-") for s in specs if s.strip()}


def test_environment_yml_matches_settings_ini():
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(ROOT / "settings.ini")
    wanted = _names(cfg["DEFAULT"]["requirements"].split() + cfg["DEFAULT"]["dev_requirements"].split())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    named = _names(conda + pip) - {"python", "pip"}
    assert named == wanted, f"only in environment.yml: {sorted(named - wanted)}; only in settings.ini: {sorted(wanted - named)}"
