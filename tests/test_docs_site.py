"""The documentation site as a reader sees it: two pages built by `docs/build.py`'s own functions and mkdocs, opened in
headless Chromium. Skipped, saying why, where Chromium or the docs tools are missing."""
import json, shutil, subprocess, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
pytest.importorskip("mkdocs_jupyter", reason="mkdocs-jupyter is not installed (pip install -e '.[dev]')")
sys.path.insert(0, str(ROOT / "docs"))
import build  # noqa: E402  (docs/build.py)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    "A two-page site: notebook 04 as a run leaves it (with papermill's injected cell and a machine path) and the predict API page."
    src = tmp_path_factory.mktemp("site_src"); out = src.parent / "site"
    nb = json.loads((ROOT / "notebooks" / "04_predict.ipynb").read_text())
    injected = {"cell_type": "code", "execution_count": 1, "id": "inj", "metadata": {"tags": ["injected-parameters"]}, "outputs": [],
                "source": f"# Parameters\nout_dir = \"{ROOT}/runs/docs/masks\"\n"}
    nb["cells"].insert(3, injected)
    nb["metadata"]["papermill"] = {"input_path": f"{ROOT}/notebooks/04_predict.ipynb", "parameters": {"out_dir": f"{ROOT}/runs/docs/masks"}}
    nb["cells"][4]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": f"wrote {ROOT}/runs/docs/masks/a.tif\n"}]
    (src / "notebooks").mkdir()
    (src / "notebooks" / "04_predict.ipynb").write_text(json.dumps(build.site_notebook(nb, {str(ROOT): "<repository>"})))
    (src / "predict.md").write_text(build.api_page("predict"))
    (src / "index.md").write_text("# test site\n")
    shutil.copy(ROOT / "docs" / "extra.css", src / "extra.css")
    config = (ROOT / "docs" / "mkdocs.base.yml").read_text().replace("docs_dir: site_src", f"docs_dir: {src}").replace("site_dir: ../_site", f"site_dir: {out}")
    config += "nav:\n  - Home: index.md\n  - 04_predict: notebooks/04_predict.ipynb\n  - predict: predict.md\n"
    (src.parent / "mkdocs.yml").write_text(config)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(src.parent / "mkdocs.yml")], check=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    return out


def test_notebook_and_api_pages_read_like_nbdev(site):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((site / "notebooks" / "04_predict" / "index.html").as_uri())
        text = page.inner_text("article")
        assert "#| export" not in text and "#| default_exp" not in text, "directives are shown"
        assert "# Parameters" not in text, "papermill's injected-parameters cell is shown"
        assert str(ROOT) not in page.content() and "<repository>" in text, "a machine path is shown"
        download = site / "notebooks" / "04_predict" / "04_predict.ipynb"   # the notebook a reader downloads
        assert download.is_file() and str(ROOT) not in download.read_text(), "the downloadable notebook holds a machine path"
        heading = page.locator("h3:has-text('predict_scene')").first
        assert heading.count() == 1, "no doc block under predict_scene's export cell"
        table = heading.locator("xpath=following::table[1]")
        assert "window" in table.inner_text() and "512" in table.inner_text(), "no parameter table under predict_scene"
        wraps = page.evaluate("getComputedStyle(document.querySelector('article pre')).whiteSpace")
        assert wraps == "pre-wrap", f"long code lines do not wrap ({wraps})"
        page.goto((site / "predict" / "index.html").as_uri())
        api = page.inner_text("article")
        assert "window: int = 512" in api and "'int'" not in api, "annotations print as quoted strings"
        browser.close()
