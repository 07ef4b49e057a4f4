"Shared fixtures: the repository root, the bundled sample data, and ../shared when present."
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sparcs_dir() -> Path:
    "The SPARCS layouts shipped in the project's data (the simulator's real cloud, shadow and snow layouts)."
    path = ROOT / "data" / "sparcs-labels"
    assert len(list(path.glob("*_labels.tif"))) == 78, f"{path}: the 78 SPARCS layouts are part of the project"
    return path
