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
    path = SHARED / "data" / "sparcs-labels"
    if not any(path.glob("*_labels.tif")):
        pytest.skip("../shared/data/sparcs-labels is not here (it is developer material, not shipped)")
    return path
