"""Assemble the documentation site's sources from a run folder and the package, then let mkdocs build it.

    python docs/build.py RUN_DIR        # writes docs/site_src/ (index, every notebook executed, API pages)

The pages: the README as the home page; every notebook executed, the stage notebooks as the quick run executed them
and the lesson notebooks executed here; and one API page per module. Notebook pages read as nbdev's do: no `#|`
directives, no papermill parameters cell, and under each exported function or class its signature and parameter
table (what nbdev's `show_doc` gives). Machine paths in outputs are replaced by names that mean something anywhere.
"""
import ast, copy, importlib, inspect, json, re, shutil, sys, tempfile
from pathlib import Path

from fastcore.docments import docments

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "docs" / "site_src"


def signature_text(obj) -> str:
    "`(a: int = 1, ...) -> str` with annotations as written (no quotes: the modules use postponed annotations)."
    try: sig = inspect.signature(obj)
    except (TypeError, ValueError): return "(...)"
    parts = []
    for p in sig.parameters.values():
        text = ("*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else "") + p.name
        if p.annotation is not p.empty: text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty: text += " = " + re.sub(r"<([^>]+)>", r"\1", repr(p.default))
        parts.append(text)
    ret = f" -> {_annotation(sig.return_annotation)}" if sig.return_annotation is not sig.empty else ""
    return f"({', '.join(parts)}){ret}"


def _annotation(a) -> str:
    text = a if isinstance(a, str) else getattr(a, "__name__", None) or str(a)
    return re.sub(r"\b(?:typing|pathlib|numpy|rasterio\.\w+|cloudmask_nb\.\w+)\.", "", text)


def symbol_doc(name: str, obj, level: str = "###") -> str:
    "Markdown for one function or class: heading, signature, summary, and a table of its documented parameters."
    out = [f"{level} `{name}`\n", f"```python\n{name}{signature_text(obj)}\n```\n", f"{inspect.getdoc(obj) or ''}\n"]
    try: docs = {k: v for k, v in docments(obj, full=True).items() if k != "return" and (v.get("docment") or v.get("default") is not inspect._empty)}
    except Exception: docs = {}
    rows = [(k, _annotation(v["anno"]) if v.get("anno") is not inspect._empty else "",
             "" if v.get("default") is inspect._empty else repr(v["default"]), v.get("docment") or "") for k, v in docs.items() if k != "self"]
    if rows:
        cell = lambda s: str(s).replace("|", "\\|").replace("\n", " ")
        out.append("| parameter | type | default | meaning |\n|---|---|---|---|\n"
                   + "".join(f"| `{k}` | {cell(t)} | {cell(d)} | {cell(m)} |\n" for k, t, d, m in rows))
    return "\n".join(out)


def api_page(module_name: str) -> str:
    "Markdown for one module: each function and class of its __all__."
    mod = importlib.import_module(f"cloudmask_nb.{module_name}")
    out = [f"# `cloudmask_nb.{module_name}`\n", (mod.__doc__ or "").strip() + "\n"]
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if inspect.isfunction(obj) or inspect.isclass(obj): out.append(symbol_doc(name, obj, "##"))
    return "\n".join(out)


def exported_symbols(source: str, module) -> list:
    "(name, object) of the public functions and classes an export cell defines; `@patch` methods as `Class.method`."
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith("_"): continue
        patched = any((isinstance(d, ast.Name) and d.id == "patch") or (isinstance(d, ast.Call) and getattr(d.func, "id", "") == "patch")
                      for d in node.decorator_list)
        if patched and node.args.args and isinstance(node.args.args[0].annotation, ast.Name):
            owner = node.args.args[0].annotation.id
            obj = getattr(getattr(module, owner, None), node.name, None)
            if obj is not None: found.append((f"{owner}.{node.name}", getattr(obj, "fget", obj)))
        elif hasattr(module, node.name): found.append((node.name, getattr(module, node.name)))
    return found


def site_notebook(nb: dict, scrub: dict) -> dict:
    "A notebook as a site page: directives and the injected-parameters cell gone, a doc block under each export cell."
    nb = copy.deepcopy(nb)
    nb.get("metadata", {}).pop("papermill", None)   # the machine's paths and the run's parameters: not the reader's
    for cell in nb["cells"]: cell.get("metadata", {}).pop("papermill", None); cell.get("metadata", {}).pop("execution", None)
    first = "".join(nb["cells"][0]["source"]) if nb["cells"] else ""
    m = re.search(r"#\|\s*default_exp\s+(\S+)", first)
    module = importlib.import_module(f"cloudmask_nb.{m.group(1)}") if m else None
    cells = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []): continue
        if cell["cell_type"] == "code":
            directives = [l for l in source.splitlines() if l.startswith("#|")]
            if any(re.match(r"#\|\s*hide", l) for l in directives): continue
            body = "\n".join(l for l in source.splitlines() if not l.startswith("#|")).strip("\n")
            if not body: continue
            cell["source"] = body
            for out in cell.get("outputs", []): _scrub_output(out, scrub)
            cells.append(cell)
            if module is not None and any(re.match(r"#\|\s*export", l) for l in directives):
                docs = [symbol_doc(name, obj) for name, obj in exported_symbols(body, module)]
                if docs: cells.append({"cell_type": "markdown", "metadata": {}, "source": "\n".join(docs)})
        else: cells.append(cell)
    nb["cells"] = cells
    return nb


def _scrub_output(out: dict, scrub: dict) -> None:
    def clean(text: str) -> str:
        text = re.sub(re.escape(tempfile.gettempdir()) + r"/tmp[\w-]+", "<temporary folder>", text)
        for path, name in scrub.items(): text = text.replace(path, name)
        return text
    if "text" in out: out["text"] = clean("".join(out["text"]))
    for kind, value in out.get("data", {}).items():
        if kind.startswith("text/"): out["data"][kind] = clean("".join(value) if isinstance(value, list) else value)


def execute(path: Path, timeout: int = 1800) -> dict:
    "A lesson notebook (not a stage of the run) executed in its folder, as `nbdev_test` runs it."
    import nbformat
    from nbclient import NotebookClient
    from cloudmask_nb.scene import stderr_to
    nb = nbformat.read(path, as_version=4)
    (ROOT / "docs" / ".cache").mkdir(exist_ok=True)
    with stderr_to(ROOT / "docs" / ".cache" / "kernels.log"):   # the kernels' transport warnings are not for the reader of the build
        NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return json.loads(nbformat.writes(nb))


def main(run_dir: str):
    run = Path(run_dir)
    staged = {p.name: p for p in sorted((run / "notebooks").glob("*.ipynb"))}
    if not staged: raise SystemExit(f"{run}: no executed notebooks (run `cloudmask run --run-dir {run}` first)")
    shutil.rmtree(SRC, ignore_errors=True); (SRC / "notebooks").mkdir(parents=True); (SRC / "api").mkdir()
    readme = (ROOT / "README.md").read_text()
    # links into the repository are not pages of the site: shown as paths; pictures under docs/ are copied along
    readme = re.sub(r"(!?)\[([^\]]*)\]\((?!http)([^)]+)\)",
                    lambda m: f"![{m.group(2)}]({m.group(3)[len('docs/'):]})" if m.group(1) and m.group(3).startswith("docs/")
                    else f"{m.group(2)} (`{m.group(3)}`)", readme)
    (SRC / "index.md").write_text(readme)
    if (ROOT / "docs" / "screenshots").is_dir(): shutil.copytree(ROOT / "docs" / "screenshots", SRC / "screenshots")
    shutil.copy(ROOT / "docs" / "extra.css", SRC / "extra.css")
    scrub = {str(run.resolve()): "<run folder>", str(ROOT): "<repository>", str(Path.home()): "~"}
    notebooks = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for path in notebooks:
        nb = json.loads(staged[path.name].read_text()) if path.name in staged else execute(path)
        (SRC / "notebooks" / path.name).write_text(json.dumps(site_notebook(nb, scrub), indent=1))
    modules = sorted(p.stem for p in (ROOT / "cloudmask_nb").glob("*.py") if not p.stem.startswith("_"))
    for m in modules: (SRC / "api" / f"{m}.md").write_text(api_page(m))
    nav = ["  - Home: index.md", "  - Notebooks (executed):"] + [f"    - {nb.stem}: notebooks/{nb.name}" for nb in notebooks] \
        + ["  - API:"] + [f"    - {m}: api/{m}.md" for m in modules]
    config = (ROOT / "docs" / "mkdocs.base.yml").read_text() + "nav:\n" + "\n".join(nav) + "\n"
    (ROOT / "docs" / "mkdocs.yml").write_text(config)
    print(f"{len(notebooks)} notebooks ({len(staged)} from the run), {len(modules)} API pages in {SRC}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/docs")
