"The workbook's own consistency: package in sync with the notebooks, clean notebooks, one dependency list."
import configparser
import json
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
    wanted = _names([r for k, v in cfg["DEFAULT"].items() if k.endswith("requirements") for r in v.split()])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    named = _names(conda + pip) - {"python", "pip"}
    assert named == wanted, f"only in environment.yml: {sorted(named - wanted)}; only in settings.ini: {sorted(wanted - named)}"


# The module layout: which modules each module may import (a design rule; the order of notebooks follows from the imports).
ALLOWED_IMPORTS = {  # module: the workbook modules it may import (at any level)
    "scene": set(), "data": {"scene"}, "labels": {"scene", "data"}, "simulate": {"scene", "data"}, "explore": {"scene", "data"},
    "explorer": {"scene", "data", "explore"}, "model": {"scene", "data"}, "train": {"scene", "data", "labels", "model", "explore"},
    "conventions": {"scene"}, "stac": {"scene", "data", "conventions"}, "predict": {"scene", "data", "model", "conventions", "stac"}, "batch": {"scene", "data", "model", "predict", "conventions", "stac", "vectorize"}, "vectorize": {"scene", "data"}, "evaluate": {"scene", "data", "explore", "conventions", "predict", "model", "labels", "train"},
    "pipeline": {"data", "scene", "simulate"}, "cli": {"data", "pipeline", "scene", "simulate", "conventions", "predict", "model", "evaluate", "vectorize", "batch", "labels", "train"}}
WIDGET_MODULES = ("ipywidgets", "ipycanvas", "anywidget", "traitlets", "IPython.display")


def _imports(path: Path) -> set:
    "Top-level names of every module a Python file imports, anywhere in it."
    import ast
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import): found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
    return found


def _workbook_imports(path: Path) -> set:
    imported = _imports(path)
    return {m.lstrip(".").split(".")[0] for m in imported if m.startswith(".")} | {m.split(".")[1] for m in imported if m.startswith("cloudmask_nb.")}


def test_notebooks_are_in_dependency_order():
    "Each notebook's module imports only modules of notebooks before it, so the notebooks read (and run) in order."
    import re
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]*.ipynb"))
    exports = {}
    for nb in notebooks:
        first = "".join(json.loads(nb.read_text())["cells"][0]["source"])
        m = re.search(r"#\|\s*default_exp\s+(\w+)", first)
        assert m, f"{nb.name}: its first cell names no default_exp"
        exports[m.group(1)] = nb.stem
    position = {nb.stem: i for i, nb in enumerate(notebooks)}
    for module, nb in exports.items():
        for used in _workbook_imports(ROOT / "cloudmask_nb" / f"{module}.py"):
            assert position[exports[used]] < position[nb], f"{nb} ({module}) imports {used}, exported by {exports[used]}, which comes later"


def test_modules_import_only_what_they_may():
    "Prediction needs no training code, computing modules no widgets, and no module imports one it should not."
    for path in sorted((ROOT / "cloudmask_nb").glob("*.py")):
        if path.stem in ("__init__", "_modidx"): continue
        imported, ours = _imports(path), _workbook_imports(path)
        assert ours <= ALLOWED_IMPORTS[path.stem], f"{path.name} imports {sorted(ours - ALLOWED_IMPORTS[path.stem])}"
        if path.stem != "explorer":
            widgets = {m for m in imported if m.startswith(WIDGET_MODULES)}
            assert not widgets, f"{path.name} imports widget code {widgets}"


def _parameters_cell(notebook: str) -> dict:
    import ast
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {t.id: ast.literal_eval(n.value) for n in ast.parse(cell.source).body if isinstance(n, ast.Assign) for t in n.targets}


def test_notebook_parameters_match_the_functions():
    "A papermill default means what the function's default means: one value for each knob."
    import inspect
    from cloudmask_nb.predict import predict_inputs
    from cloudmask_nb.vectorize import vectorize_inputs
    defaults = lambda f: {k: p.default for k, p in inspect.signature(f).parameters.items()}
    predict, vectorize = defaults(predict_inputs), defaults(vectorize_inputs)
    for nb_name, func, knobs in (("04_predict.ipynb", predict, ("window", "overlap", "batch_size", "probability_dtype")),
                                 ("06_evaluate.ipynb", predict, ("window", "overlap")),
                                 ("05_vectorize.ipynb", vectorize, ("min_area", "simplify"))):
        params = _parameters_cell(nb_name)
        for k in knobs:
            assert params[k] == func[k], f"{nb_name}: {k} = {params[k]!r}, the function's default is {func[k]!r}"


def test_nbdev_doc_processing_passes_on_every_notebook():
    "nbdev's own notebook processing (what a docs build runs: exported cells and imports) passes on every notebook."
    script = (
        "import os, sys; os.environ['IN_TEST'] = '1'\n"
        "from pathlib import Path\n"
        "from execnb.nbio import read_nb\n"
        "from nbdev.processors import FilterDefaults\n"
        "failed = []\n"
        "for p in sorted(Path('.').glob('[0-9]*.ipynb')):\n"
        "    try: FilterDefaults()(read_nb(p))\n"
        "    except BaseException as e: failed.append(f'{p.name}: {type(e).__name__}: {e}')\n"
        "print('\\n'.join(failed)); sys.exit(1 if failed else 0)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:]


def test_default_model_ships_its_openvino_ir():
    "`pip install cloudmask_nb` (no TensorFlow) predicts: the IR of this very default model is in the repository and the package data."
    import subprocess
    from cloudmask_nb.model import default_model_path, openvino_cache
    folder = openvino_cache(default_model_path()).relative_to(ROOT)
    tracked = subprocess.run(["git", "ls-files", str(folder)], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert sorted(Path(t).name for t in tracked) == ["model.bin", "model.xml"], f"{folder}: commit the default model's IR (git add -f is not needed: .gitignore keeps it)"
    stale = [p.name for p in (ROOT / "cloudmask_nb" / "models").glob(".default.openvino-????????????????") if p.name != folder.name]
    tracked_stale = subprocess.run(["git", "ls-files", *[f"cloudmask_nb/models/{s}" for s in stale]], cwd=ROOT, capture_output=True, text=True).stdout.split() if stale else []
    assert not tracked_stale, f"IRs of earlier models still tracked: {tracked_stale}"
