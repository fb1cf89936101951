import os
import subprocess
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


def build_site(dest: Path) -> Path:
    """Copy the project into dest and run `mkdocs build --strict` there; return the project dir."""
    proj = make_project(dest)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    result = subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=proj, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return proj


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """One project with a fresh site/ built from the current sources, shared by every test that reads
    the built site. BM_TEST_PROJECT=<dir with site/> reuses an existing build instead."""
    given = os.environ.get("BM_TEST_PROJECT")
    if given:
        proj = Path(given).resolve()
        assert (proj / "site" / "index.html").is_file(), f"BM_TEST_PROJECT={given} has no site/index.html"
        return proj
    return build_site(tmp_path_factory.mktemp("site") / "proj")
