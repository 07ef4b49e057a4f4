"""Assemble the documentation site's sources from a run folder and the package, then let mkdocs build it.

    python docs/build.py RUN_DIR        # writes docs/site_src/ (index, executed notebooks, API pages)

The pages: the README as the home page, each stage notebook *as executed* by a quick run (prose, figures, tables),
and one API page per module with every exported function and class: its signature, its one-line summary and its
documented parameters (the same text `cloudmask --help` shows).
"""
import importlib, inspect, re, shutil, sys
from pathlib import Path

from fastcore.docments import docments

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "docs" / "site_src"


def api_page(module_name: str) -> str:
    "Markdown for one module: each name of its __all__ with signature, summary and parameter table."
    mod = importlib.import_module(f"cloudmask_nb.{module_name}")
    out = [f"# `cloudmask_nb.{module_name}`\n", (mod.__doc__ or "").strip() + "\n"]
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if not (inspect.isfunction(obj) or inspect.isclass(obj)): continue
        try: sig = str(inspect.signature(obj))
        except (TypeError, ValueError): sig = "(...)"
        sig = re.sub(r"<[^>]+>", "...", sig)
        out.append(f"## `{name}{sig}`\n\n{inspect.getdoc(obj) or ''}\n")
        try: docs = {k: v for k, v in docments(obj).items() if v and k != "return"}
        except Exception: docs = {}
        if docs:
            out.append("| parameter | meaning |\n|---|---|\n" + "".join(f"| `{k}` | {v.replace('|', '/')} |\n" for k, v in docs.items()))
    return "\n".join(out)


def main(run_dir: str):
    run = Path(run_dir)
    notebooks = sorted((run / "notebooks").glob("*.ipynb"))
    if not notebooks: raise SystemExit(f"{run}: no executed notebooks (run `cloudmask run --run-dir {run}` first)")
    shutil.rmtree(SRC, ignore_errors=True); (SRC / "notebooks").mkdir(parents=True); (SRC / "api").mkdir()
    readme = (ROOT / "README.md").read_text()
    # links into the repository are not pages of the site: shown as paths; pictures under docs/ are copied along
    readme = re.sub(r"(!?)\[([^\]]*)\]\((?!http)([^)]+)\)",
                    lambda m: f"![{m.group(2)}]({m.group(3)[len('docs/'):]})" if m.group(1) and m.group(3).startswith("docs/")
                    else f"{m.group(2)} (`{m.group(3)}`)", readme)
    (SRC / "index.md").write_text(readme)
    if (ROOT / "docs" / "screenshots").is_dir(): shutil.copytree(ROOT / "docs" / "screenshots", SRC / "screenshots")
    for nb in notebooks: shutil.copy(nb, SRC / "notebooks" / nb.name)
    modules = sorted(p.stem for p in (ROOT / "cloudmask_nb").glob("*.py") if not p.stem.startswith("_"))
    for m in modules: (SRC / "api" / f"{m}.md").write_text(api_page(m))
    nav = ["  - Home: index.md", "  - Notebooks (a quick run, executed):"] + [f"    - {nb.stem}: notebooks/{nb.name}" for nb in notebooks] \
        + ["  - API:"] + [f"    - {m}: api/{m}.md" for m in modules]
    config = (ROOT / "docs" / "mkdocs.base.yml").read_text() + "nav:\n" + "\n".join(nav) + "\n"
    (ROOT / "docs" / "mkdocs.yml").write_text(config)
    print(f"{len(notebooks)} notebooks, {len(modules)} API pages in {SRC}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/docs")
