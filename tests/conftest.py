import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# A test run started in the background by a shell without job control (`make test &` in a script,
# nohup) inherits SIGINT ignored, and so would every build the tests start: the Ctrl-C tests would
# then test the shell, not the build. The tests' own processes get Ctrl-C as a terminal gives it.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

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


# ---------------------------------------------------------------- the two builders

BUILDERS = ("mkdocs", "zensical")


def build_zensical(proj: Path) -> Path:
    """Build the docs/ the pipeline wrote in proj with Zensical (`zensical build --strict -f
    zensical.yml`, as `make site-zensical` does after the pipeline); return the output folder."""
    from scripts.site_config import CONFIG, SITE_DIR
    env = dict(os.environ)
    env.pop("SITE_URL", None)
    zensical = str(Path(sys.executable).with_name("zensical"))
    result = subprocess.run([zensical, "build", "--strict", "-f", CONFIG], cwd=proj, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"zensical build --strict failed:\n{result.stdout}\n{result.stderr}"
    return proj / SITE_DIR


@pytest.fixture(scope="session")
def zensical_site(built_project) -> Path:
    """The same docs/ as `built_project` (one pipeline run) built with Zensical into site-zensical/.
    With BM_TEST_PROJECT, an existing site-zensical/ there is reused."""
    from scripts.site_config import SITE_DIR
    existing = built_project / SITE_DIR
    if os.environ.get("BM_TEST_PROJECT") and (existing / "index.html").is_file():
        return existing
    return build_zensical(built_project)


@pytest.fixture(scope="session", params=BUILDERS)
def builder(request) -> str:
    """Which generator built the site under test; tests that take it run once per builder."""
    return request.param


@pytest.fixture(scope="session")
def built_site(request, builder) -> Path:
    """The built site (its output folder) for `builder`."""
    if builder == "mkdocs":
        return request.getfixturevalue("built_project") / "site"
    return request.getfixturevalue("zensical_site")
