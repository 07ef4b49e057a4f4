"Package set-up read from nbdev's settings.ini, as the nbdev 2 template does."
from configparser import ConfigParser
from pathlib import Path

import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read(Path(__file__).parent / "settings.ini")
cfg = cfg["DEFAULT"]

requirements = cfg.get("requirements", "").split()
# the runtime core (read, predict, vectorize, evaluate, the command line) is `requirements`; every `<extra>_requirements` key is
# an extra (train: TensorFlow; notebooks: the pipeline, explorer and nbdev; batch: Dask; int8; xarray; bench: the peer of
# bench/peers.py); dev takes them all but bench
extras = {k[:-len("_requirements")]: cfg[k].split() for k in cfg if k.endswith("_requirements") and k not in ("requirements", "dev_requirements")}
extras["dev"] = cfg.get("dev_requirements", "").split() + [r for k, reqs in extras.items() if k != "bench" for r in reqs]
scripts = [s.strip() for s in cfg.get("console_scripts", "").split() if s.strip()]

setuptools.setup(
    name=cfg["lib_name"],
    version=cfg["version"],
    description=cfg["description"],
    long_description=(Path(__file__).parent / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    author=cfg["author"],
    license="Apache-2.0",
    python_requires=f">={cfg['min_python']}",
    # models/ holds data only (the default model and its card): a namespace package, so setuptools ships it quietly
    packages=setuptools.find_namespace_packages(include=[cfg["lib_name"], cfg["lib_name"] + ".*"], exclude=["*.__pycache__"]),
    # the default model, its card, and its OpenVINO IR (so predicting needs no TensorFlow to convert it)
    package_data={cfg["lib_name"] + ".models": ["*.keras", "*.json", ".*.openvino-????????????????/model.xml", ".*.openvino-????????????????/model.bin"]},
    install_requires=requirements,
    extras_require=extras,
    entry_points={"console_scripts": scripts, "nbdev": [f"{cfg['lib_name']}={cfg['lib_name']}._modidx:d"]},
    zip_safe=False,
)
