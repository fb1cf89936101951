"""Bad input: one clear line naming the file (and line) and the remedy; nothing lost or half written."""
import html as html_mod
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.build import build
from scripts.errors import BuildError
from scripts.paths import Paths

ROOT = Path(__file__).resolve().parent.parent


def snapshot(root: Path) -> dict:
    return {p.relative_to(root): p.read_bytes() for d in ("docs", "seeds", "data") for p in (root / d).rglob("*")
            if p.is_file()}


def cli(root: Path, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "scripts", "--root", str(root), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)


CASES = {
    "empty": (b"", "empty article"),
    "whitespace": (b"  \n\n \n", "empty article"),
    "binary": (bytes(range(256)) * 4, "binary file"),
    "gbk": ("大模型之战有多烧钱".encode("gbk"), "GBK"),
    "utf16": ("大模型之战有多烧钱".encode("utf-16"), "UTF-16"),
    "utf16-nobom": ("大模型之战".encode("utf-16-le"), "UTF-16"),
    "huge": (("大模型。" * 1_000_000).encode("utf-8"), "too large"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_seed_stops_build_with_one_line(project, name):
    data, expected = CASES[name]
    build(Paths(project))
    before = snapshot(project)
    (project / "seeds" / f"bad_{name}.txt").write_bytes(data)
    before[Path("seeds") / f"bad_{name}.txt"] = data
    result = cli(project, "build")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert f"bad_{name}.txt" in lines[0] and expected in lines[0]
    assert snapshot(project) == before          # nothing written, nothing lost


def test_broken_side_file_names_file_and_line(project):
    side = project / "seeds" / "000_171d0b4a7f7a72ca.yml"
    side.write_text(side.read_text(encoding="utf-8") + "status: [unclosed\n", encoding="utf-8")
    result = cli(project, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "000_171d0b4a7f7a72ca.yml:" in line and "broken YAML" in line


def test_unknown_field_and_bad_status(project):
    side = project / "seeds" / "001_163e6e853f9a0655.yml"
    side.write_text(side.read_text(encoding="utf-8").replace("status: published", "status: finished"), encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(Paths(project))
    assert "001_163e6e853f9a0655.yml:3" in str(exc.value) and "draft or published" in str(exc.value)


def test_undecided_mojibake_stops_the_build(project):
    side = project / "seeds" / "002_fb1b3864027ad030.yml"
    text = side.read_text(encoding="utf-8")
    start = text.index('  - garbled: "?拼笥嶏w"')
    end = text.index("  - garbled:", start + 5)
    side.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(Paths(project))
    msg = str(exc.value)
    assert msg.startswith(str(project / "seeds" / "002_fb1b3864027ad030.txt") + ":53:")
    assert "undecided mojibake" in msg and "keep" in msg


def test_decision_matching_nothing_is_reported(project):
    side = project / "seeds" / "000_171d0b4a7f7a72ca.yml"
    side.write_text(side.read_text(encoding="utf-8") + '  - {garbled: "不存在的乱码", fixed: x, note: y}\n', encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(Paths(project))
    assert "matches nothing" in str(exc.value)


def test_hostile_text_is_shown_as_text(project):
    hostile = ("危险的标题\n\n<script>alert('x')</script>正文里有<b>标签</b>和[链接](javascript:alert(1))。\n\n"
               "**粗体** {{ config.site_name }} {% include 'x' %} <!-- 注释 --> &amp; 结束。\n")
    (project / "seeds" / "hostile.txt").write_text(hostile, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    r = subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=project, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    html = (project / "site" / "articles" / "hostile" / "index.html").read_text(encoding="utf-8")
    body = html[html.index('data-article="hostile"'):]
    assert "<script>alert" not in body and "<b>标签" not in body and 'href="javascript' not in body
    assert "<strong>粗体" not in body and "<!-- 注释" not in body
    shown = html_mod.unescape(re.sub(r"<[^>]+>", "", body))
    assert "{{ config.site_name }}" in shown and "<script>alert('x')</script>" in shown and "**粗体**" in shown


def test_failed_build_keeps_previous_output(project):
    build(Paths(project))
    page = project / "docs" / "articles" / "iflytek-first-loss" / "index.md"
    before = page.read_bytes()
    (project / "seeds" / "zz_bad.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(BuildError):
        build(Paths(project))
    assert page.read_bytes() == before
