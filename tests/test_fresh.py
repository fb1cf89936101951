"""A fresh machine: the build needs no system CJK font, and neither a stale matplotlib cache, nor a
missing git, nor a read-only HOME can stop it or change a figure. The bundled font covers what the
figures draw and is made again byte for byte; the Makefile explains what is missing.

The build scenarios rebuild one copied project from scratch; the reference figures are those of the
ordinary build the other tests share (conftest's built_project)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import figures as F
from scripts import fonts
from scripts.errors import BuildError
from scripts.paths import copy_project

ROOT = Path(__file__).resolve().parent.parent
CJK_NAME = re.compile(r"CJK|Han ?Sans|Han ?Serif|WenQuanYi|Droid Sans Fallback|AR PL|Noto Sans [ST]C", re.I)


# ---------------------------------------------------------------- helpers

def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment without anything that points matplotlib, the site or the build date elsewhere."""
    drop = ("MPLCONFIGDIR", "MATPLOTLIBRC", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "SOURCE_DATE_EPOCH", "SITE_URL",
            "FONTCONFIG_FILE", "PYTHONPATH")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(HOME=str(home), NO_MKDOCS_2_WARNING="1", **extra)
    return env


def figures_of(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.svg"))}


def rebuild(proj: Path, env: dict, cmd: list[str] | None = None, wrap: list[str] | None = None):
    """Build again from scratch (no build cache, no figures): the figures are drawn in this environment."""
    shutil.rmtree(proj / ".cache" / "build", ignore_errors=True)
    shutil.rmtree(proj / "docs" / "assets" / "figures", ignore_errors=True)
    shutil.rmtree(proj / "site", ignore_errors=True)
    cmd = cmd or [sys.executable, "-m", "scripts", "build"]
    result = subprocess.run([*(wrap or []), *cmd], cwd=proj, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def fontlist(config_dir: Path) -> dict:
    found = sorted(config_dir.glob("fontlist-*.json"))
    assert found, f"matplotlib wrote no font list into {config_dir}"
    return json.loads(found[0].read_text(encoding="utf-8"))


def system_cjk_fonts(matplotlib_list: dict) -> set[Path]:
    """CJK font files on this machine: what fontconfig lists for Chinese, and any matplotlib found."""
    files = {Path(f["fname"]) for f in matplotlib_list["ttflist"] if CJK_NAME.search(f["name"])}
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True).stdout
        files |= {Path(line.split(":")[0]) for line in out.splitlines() if line.strip()}
    return {f for f in files if f.exists() and not f.is_relative_to(ROOT)}


def _namespace_prefix() -> list[str] | None:
    """`unshare` arguments for a private mount namespace (root: -m; others: a user namespace too)."""
    if not shutil.which("unshare"):
        return None
    for args in (["unshare", "-m"], ["unshare", "-rm"]) if os.geteuid() == 0 else (["unshare", "-rm"],):
        if subprocess.run([*args, "true"], capture_output=True).returncode == 0:
            return args
    return None


def in_namespace(hide: list[Path], read_only: list[Path], empty: Path) -> list[str] | None:
    """A command prefix that runs its command with each `hide` directory covered by an empty one and
    each `read_only` directory made read-only (for root too), or None where this is not permitted."""
    prefix = _namespace_prefix()
    if prefix is None:
        return None
    steps = [f'mount --bind "{empty}" "{d}"' for d in hide]
    steps += [f'mount --bind "{d}" "{d}" && mount -o remount,ro,bind "{d}"' for d in read_only]
    return [*prefix, "sh", "-ec", " && ".join([*steps, 'exec "$@"']), "sh"]


@pytest.fixture(scope="module")
def base(tmp_path_factory, built_project):
    """(a copy of the project to build in, the figures of the ordinary build every test shares)."""
    reference = figures_of(built_project / "site" / "assets" / "figures")
    assert len(reference) >= 10 and "timeline.svg" in reference
    return copy_project(tmp_path_factory.mktemp("fresh") / "proj"), reference


@pytest.fixture(scope="module")
def system_fontlist(tmp_path_factory) -> tuple[str, dict]:
    """The font list matplotlib writes on this machine: (file name, contents)."""
    config = tmp_path_factory.mktemp("mpl")
    subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], check=True, capture_output=True,
                   env=clean_env(config, MPLCONFIGDIR=str(config)))
    path = sorted(config.glob("fontlist-*.json"))[0]
    return path.name, json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the build on a fresh machine

def test_build_without_a_system_cjk_font(base, system_fontlist, tmp_path):
    """The system's CJK fonts hidden from matplotlib (which scans afresh) and from fontconfig: the
    build succeeds and every figure is byte-identical."""
    proj, reference = base
    config = tmp_path / "mpl"
    nofonts = tmp_path / "fonts.conf"
    nofonts.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                       f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    env = clean_env(tmp_path, MPLCONFIGDIR=str(config), FONTCONFIG_FILE=str(nofonts))
    cjk = system_cjk_fonts(system_fontlist[1])
    wrap = None
    if cjk:
        (tmp_path / "empty").mkdir()
        wrap = in_namespace(sorted({f.parent for f in cjk}), [], tmp_path / "empty")
        if wrap is None:
            pytest.skip("this machine has CJK fonts and does not allow a mount namespace to hide them")
    rebuild(proj, env, wrap=wrap)
    seen = {Path(f["fname"]) for f in fontlist(config)["ttflist"]}
    assert not seen & cjk, "the CJK fonts were not hidden from matplotlib"
    assert not any(CJK_NAME.search(f["name"]) for f in fontlist(config)["ttflist"])
    assert figures_of(proj / "docs" / "assets" / "figures") == reference


def test_build_with_a_stale_matplotlib_cache(base, system_fontlist, tmp_path):
    """MPLCONFIGDIR holds a font list written before any CJK font was installed (the failure that used
    to need ~/.cache/matplotlib deleted by hand) and a matplotlibrc that would change the drawing:
    the build succeeds and every figure is byte-identical."""
    proj, reference = base
    config = tmp_path / "mpl"
    config.mkdir()
    name, listing = system_fontlist
    stale = dict(listing, ttflist=[f for f in listing["ttflist"] if not CJK_NAME.search(f["name"])])
    (config / name).write_text(json.dumps(stale), encoding="utf-8")
    (config / "matplotlibrc").write_text("text.hinting: no_hinting\naxes.titleweight: bold\n"
                                         "font.family: serif\nsvg.fonttype: none\n", encoding="utf-8")
    rebuild(proj, clean_env(tmp_path, MPLCONFIGDIR=str(config)))
    assert not any(CJK_NAME.search(f["name"]) for f in fontlist(config)["ttflist"])     # still stale
    assert figures_of(proj / "docs" / "assets" / "figures") == reference


def test_build_with_a_read_only_home(base, tmp_path):
    """HOME read-only (for root too, where a mount namespace allows it) and nothing pointing matplotlib
    elsewhere: its cache goes to the project's .cache/, nothing is written to HOME, and every figure
    is byte-identical."""
    proj, reference = base
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    shutil.rmtree(proj / ".cache" / "matplotlib", ignore_errors=True)
    try:
        wrap = in_namespace([], [home], tmp_path) if os.geteuid() == 0 else None
        rebuild(proj, clean_env(home), wrap=wrap)
        assert list(home.iterdir()) == []
    finally:
        home.chmod(0o755)
    assert list((proj / ".cache" / "matplotlib").glob("fontlist-*.json"))
    assert figures_of(proj / "docs" / "assets" / "figures") == reference


def test_make_site_without_git(base, tmp_path):
    """No git on PATH: `make site` dates the build 0 (SOURCE_DATE_EPOCH) instead of the last commit,
    the strict MkDocs build succeeds, and every figure is byte-identical."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    proj, reference = base
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").symlink_to(make)
    assert shutil.which("git", path=str(bin_dir)) is None
    shutil.copy(ROOT / "Makefile", proj / "Makefile")
    shutil.copy(ROOT / "requirements.txt", proj / "requirements.txt")
    venv = proj / ".venv"
    if not venv.exists():
        venv.symlink_to(Path(sys.prefix))
    # -o: take the virtual environment as it is (this one runs the tests), never reinstall into it
    result = rebuild(proj, clean_env(tmp_path, PATH=str(bin_dir)), cmd=[make, "-o", ".venv/.installed", "site"])
    assert "SOURCE_DATE_EPOCH=0 " in result.stdout
    sitemap = (proj / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"1970-01-01"}
    assert figures_of(proj / "site" / "assets" / "figures") == reference


# ---------------------------------------------------------------- the bundled font

def _cmap(path: Path) -> set[int]:
    from fontTools.ttLib import TTFont
    with TTFont(str(path), lazy=True) as font:
        return set(font.getBestCmap())


@pytest.mark.parametrize("path", fonts.files(), ids=lambda p: p.name)
def test_bundled_font_covers_gb2312_and_the_figure_data(path):
    """GB2312, the figure data, the drawing code's words, and their Traditional forms (the 繁 drawings)."""
    cmap = _cmap(path)
    drawn = fonts.drawn_characters(ROOT / "data")
    assert {"國", "億", "數", "來"} <= drawn and fonts.data_characters(ROOT / "data") <= drawn
    missing = {c for c in drawn | fonts.legacy_characters("gb2312") if ord(c) not in cmap}
    assert not missing, f"{path.name} lacks {sorted(missing)[:20]}: python -m scripts font"
    assert {0x2212, 0x3002, 0xFF0C} <= cmap        # minus sign, 。 and ，


@pytest.mark.parametrize("path", fonts.files(), ids=lambda p: p.name)
def test_bundled_font_is_renamed_and_has_one_language_system(path):
    """Our name (no lookup can mistake it for a system font; OFL: a Modified Version) and only the
    default language system (no locale can switch its glyphs)."""
    from fontTools.ttLib import TTFont
    with TTFont(str(path)) as font:
        assert font["name"].getDebugName(1) == fonts.FAMILY
        assert "Source" not in font["name"].getDebugName(4)          # the OFL's Reserved Font Name
        assert "Open Font License" in font["name"].getDebugName(13)
        for tag in ("GSUB", "GPOS"):
            assert all(not r.Script.LangSysRecord for r in font[tag].table.ScriptList.ScriptRecord)


def test_licence_and_log_travel_with_the_font():
    licence = (fonts.DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "Adobe" in licence
    log = (fonts.DIR / "FONTLOG.txt").read_text(encoding="utf-8")
    for path in fonts.files():
        assert f"{path.name}: {path.stat().st_size:,} bytes" in log
        assert hashlib.sha256(path.read_bytes()).hexdigest() in log
    assert sum(p.stat().st_size for p in fonts.files()) < 5_000_000


def test_regenerating_the_font_gives_the_same_bytes():
    """`python -m scripts font` remakes the committed file byte for byte from the same Debian font
    (the regular weight; the bold is made by the same function). Skipped without that source file."""
    name, collection = fonts.FACES["Regular"]
    try:
        source = fonts.find_source(collection)
    except BuildError:
        pytest.skip("Debian's fonts-noto-cjk is not installed")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest not in (fonts.DIR / "FONTLOG.txt").read_text(encoding="utf-8"):
        pytest.skip(f"{source} is another version than the one the font was made from")
    made = fonts.subset(source, "Regular", fonts.repertoire(ROOT / "data"))
    assert made == (fonts.DIR / name).read_bytes()


def test_a_character_the_font_lacks_names_file_line_and_character(tmp_path):
    """A figure that needs a character outside the subset stops with one line: data file, line, the
    character, and the command that adds it."""
    source = ROOT / "data" / "figures" / "iflytek-rd-share.yml"
    text = source.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith("title:"))
    assert "title: {zh: " in text
    rare = "\u9f98"          # 龘: not in GB2312, nor in the figure data
    assert ord(rare) not in _cmap(fonts.files()[0])
    (tmp_path / source.name).write_text(text.replace("title: {zh: ", f"title: {{zh: {rare}", 1), encoding="utf-8")
    dataset, = F.load_datasets(tmp_path)
    with pytest.raises(BuildError) as caught:
        F.render_svg(dataset)
    message = str(caught.value)
    assert f"{source.name}:{line}:" in message and f"'{rare}' (U+9F98)" in message
    assert "python -m scripts font" in message and "\n" not in message


# ---------------------------------------------------------------- the Makefile explains what is missing

def _make(tmp_path: Path, target: str, path: str, **variables: str):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    shutil.copy(ROOT / "Makefile", work / "Makefile")
    shutil.copy(ROOT / "requirements.txt", work / "requirements.txt")
    args = [make, "-s", target, *(f"{k}={v}" for k, v in variables.items())]
    env = clean_env(tmp_path, PATH=path)
    env.pop("BM_CHROMIUM", None)
    return subprocess.run(args, cwd=work, env=env, capture_output=True, text=True, timeout=60), work


def _fake(bin_dir: Path, name: str, script: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / name).write_text("#!/bin/sh\n" + script, encoding="utf-8")
    (bin_dir / name).chmod(0o755)


def test_make_names_the_python_it_needs(tmp_path):
    _fake(tmp_path / "bin", "python3", 'case "$1" in --version) echo "Python 3.10.12";; *) exit 1;; esac\n')
    result, work = _make(tmp_path, "serve", str(tmp_path / "bin"))
    assert result.returncode != 0 and not (work / ".venv").exists()
    assert "needs Python 3.11 or later" in result.stdout and "(Python 3.10.12)" in result.stdout
    assert "make serve PY=" in result.stdout


def test_make_says_to_install_the_venv_module(tmp_path):
    """Debian's python3 without python3-venv (no ensurepip): one clear line, no half-made .venv."""
    blocker = tmp_path / "no-ensurepip" / "ensurepip"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('ensurepip removed, as by Debian')\n", encoding="utf-8")
    _fake(tmp_path / "bin", "python3", f'PYTHONPATH="{blocker.parent}" exec "{sys.executable}" "$@"\n')
    result, work = _make(tmp_path, "serve", f"{tmp_path / 'bin'}:/usr/bin:/bin", PY=str(tmp_path / "bin" / "python3"))
    assert result.returncode != 0 and not (work / ".venv").exists()
    major_minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"apt-get install python{major_minor}-venv" in result.stdout


def test_make_test_prints_the_apt_get_line_when_not_root(tmp_path):
    """Not root and Chromium, fonts, poppler, npm missing: the exact apt-get line, exit non-zero."""
    _fake(tmp_path / "bin", "id", 'echo 1000\n')
    for tool in ("grep", "sh"):
        (tmp_path / "bin" / tool).symlink_to(shutil.which(tool))
    result, _ = _make(tmp_path, "browser-deps", str(tmp_path / "bin"))
    assert result.returncode != 0
    assert "sudo apt-get install -y chromium fonts-noto-cjk poppler-utils nodejs npm" in result.stdout
