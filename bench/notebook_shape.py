"""How the notebooks read as lessons (issue 24's measures): export cells' length, and whether every exported symbol
is used in a check or example of its own notebook.

    python bench/notebook_shape.py          # prints the figures and the symbols never used outside their definition
"""
import ast, json, re, statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    lengths, unused, over, unchecked = [], [], [], []
    for nb_path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        cells = json.loads(nb_path.read_text())["cells"]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        exports = [c for c in code if c.startswith("#| export")]
        others = "\n".join(c for c in code if not c.startswith("#| export"))
        export_text = "\n".join(exports)
        for cell in exports:
            n = len(cell.splitlines()) - 1
            lengths.append(n)
            if n > 40: over.append(f"{nb_path.stem}: {n} lines ({cell.splitlines()[1][:60]})")
            for node in ast.parse(cell.replace("#| export", "")).body:
                names = [node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else \
                        [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
                for name in names:
                    if name.startswith("_"): continue
                    used_in_checks = re.search(rf"\b{re.escape(name)}\b", others)
                    used_by_exports = len(re.findall(rf"\b{re.escape(name)}\b", export_text)) > 1
                    if not used_in_checks and not used_by_exports: unused.append(f"{nb_path.stem}.{name}")
                    if not used_in_checks: unchecked.append(f"{nb_path.stem}.{name}")
    print(f"export cells: {len(lengths)}, median {statistics.median(lengths)} lines, {sum(n > 40 for n in lengths)} over 40, "
          f"{sum(n <= 10 for n in lengths)} of 10 lines or fewer")
    for o in over: print("  over 40:", o)
    print(f"exported symbols used neither in a check or example of their notebook nor by another export of it: {len(unused)}")
    for u in unused: print("  ", u)
    print(f"exported symbols named in no check or example of their notebook (only used by other exports): {len(unchecked) - len(unused)}")


if __name__ == "__main__":
    main()
