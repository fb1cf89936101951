import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.paths import copy_project  # noqa: E402


def make_project(dest: Path, seeds: bool = True) -> Path:
    """A throwaway copy of the project (seeds, data, scripts, assets, mkdocs.yml) to build in."""
    return copy_project(dest, seeds=seeds)


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


@pytest.fixture
def empty_project(tmp_path):
    return make_project(tmp_path / "proj", seeds=False)
