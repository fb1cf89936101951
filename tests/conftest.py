import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_project(dest: Path, seeds: bool = True) -> Path:
    """A throwaway copy of the project (seeds, data, scripts, assets, mkdocs.yml) to build in."""
    for name in ("scripts", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    (dest / "docs" / "assets").mkdir(parents=True)
    for p in (ROOT / "docs" / "assets").iterdir():
        if p.is_file():
            shutil.copy(p, dest / "docs" / "assets" / p.name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    (dest / "seeds").mkdir()
    if seeds:
        for p in (ROOT / "seeds").iterdir():
            shutil.copy(p, dest / "seeds" / p.name)
    return dest


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "proj")


@pytest.fixture
def empty_project(tmp_path):
    return make_project(tmp_path / "proj", seeds=False)
