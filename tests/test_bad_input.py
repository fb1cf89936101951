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


def one_line_error(result, *fragments):
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for f in fragments:
        assert f in lines[0], (f, lines[0])
    return lines[0]


TM = "seeds/000_171d0b4a7f7a72ca.en.yml"


def test_translation_memory_duplicate_id(project):
    tm = project / TM
    text = tm.read_text(encoding="utf-8")
    tm.write_text(text + text[text.index("- id: p-87e8f831"):text.index("- id: p-784b6103")], encoding="utf-8")
    before = snapshot(project)
    one_line_error(cli(project, "build"), "000_171d0b4a7f7a72ca.en.yml:", "duplicate segment id p-87e8f831",
                   "first at line", "merge")
    assert snapshot(project) == before


def test_translation_memory_wrong_type(project):
    tm = project / TM
    text = tm.read_text(encoding="utf-8")
    tm.write_text(text.replace("    en: ", "    en:\n    - ", 1), encoding="utf-8")
    one_line_error(cli(project, "build"), "000_171d0b4a7f7a72ca.en.yml:", "en must be text, not a list")


def test_translation_memory_unknown_field(project):
    tm = project / TM
    tm.write_text(tm.read_text(encoding="utf-8").replace("  pairs:", "  pairz:", 1), encoding="utf-8")
    one_line_error(cli(project, "build"), "000_171d0b4a7f7a72ca.en.yml:", "unknown field 'pairz'")


def test_translation_memory_broken_yaml(project):
    tm = project / TM
    tm.write_text(tm.read_text(encoding="utf-8") + "- id: [unclosed\n", encoding="utf-8")
    one_line_error(cli(project, "build"), "000_171d0b4a7f7a72ca.en.yml:", "broken YAML")


def test_translation_memory_unknown_segment_id_is_reported_not_deleted(project):
    tm = project / TM
    extra = "- id: p-00000000\n  pairs:\n  - zh: 这段话已经不在文章里了。\n    en: This paragraph is no longer in the article.\n"
    tm.write_text(tm.read_text(encoding="utf-8") + extra, encoding="utf-8")
    before = tm.read_bytes()
    assert cli(project, "build").returncode == 0
    status = cli(project, "status").stdout
    assert "orphan entry p-00000000" in status and "its segment no longer exists" in status
    qa_out = cli(project, "qa").stdout
    assert "p-00000000" in qa_out and "warning" in qa_out
    assert tm.read_bytes() == before


def test_seed_removed_while_translation_remains(project):
    (project / "seeds" / "003_a6c80c997dc4fe08.txt").unlink()
    build_docs = snapshot(project)
    one_line_error(cli(project, "build"), "003_a6c80c997dc4fe08", "missing article", "restore seeds/003_a6c80c997dc4fe08.txt")
    assert snapshot(project) == build_docs


def test_glossary_overlap_stops_build(project):
    g = project / "data" / "glossary.yml"
    g.write_text(g.read_text(encoding="utf-8") + "- id: dup-term\n  zh: 百模大战\n  en: x\n  category: industry\n"
                 "  definition: d\n", encoding="utf-8")
    one_line_error(cli(project, "build"), "glossary.yml:", "'百模大战' is claimed by", "remove it from one of them")


def test_dataset_quote_not_in_article_stops_build(project):
    ds = sorted((project / "data" / "figures").glob("*.yml"))[0]
    text = ds.read_text(encoding="utf-8")
    import re as _re
    quote = _re.search(r"quote: (.+)", text).group(1).strip()
    ds.write_text(text.replace(quote, "这句话不在任何文章里", 1), encoding="utf-8")
    one_line_error(cli(project, "build"), ds.name, "quote not found")


def test_two_clean_site_builds_are_byte_identical(tmp_path):
    from conftest import make_project
    sites = []
    for name in ("a", "b"):
        proj = make_project(tmp_path / name)
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1700000000")
        mkdocs = str(Path(sys.executable).with_name("mkdocs"))
        r = subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=proj, env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        sites.append(proj / "site")
    files = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(sites[1]) for p in sites[1].rglob("*") if p.is_file())
    for rel in files:
        assert (sites[0] / rel).read_bytes() == (sites[1] / rel).read_bytes(), rel


def mkdocs_build(project: Path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    return subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=project, env=env, capture_output=True, text=True)


def stopped_line(result) -> str:
    """`mkdocs build` stops with our one line and no traceback."""
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Build stopped:"), output
    return lines[0]


def test_mkdocs_build_reports_bad_input_from_the_build_process(project):
    """`mkdocs build` builds the pages in a forked process: its error still arrives as one line, and
    nothing under docs/, seeds/ or data/ changes."""
    assert mkdocs_build(project).returncode == 0
    side = project / "seeds" / "000_171d0b4a7f7a72ca.yml"
    side.write_text(side.read_text(encoding="utf-8") + "status: [unclosed\n", encoding="utf-8")
    before = snapshot(project)
    line = stopped_line(mkdocs_build(project))
    assert "000_171d0b4a7f7a72ca.yml:" in line and "broken YAML" in line
    assert snapshot(project) == before


def test_mkdocs_build_reports_a_figure_that_cannot_be_drawn(project):
    """Figures are drawn by worker processes while MkDocs renders: a drawing error stops the build with
    one line naming the dataset, and the build is not recorded as complete (the next one retries)."""
    path = project / "data" / "figures" / "ashare-2023-drawdowns.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: {zh: 2023年AI概念股年内最大回撤", "title: {zh: 2023年AI概念股\U00013000年内最大回撤"),
                    encoding="utf-8")
    line = stopped_line(mkdocs_build(project))
    assert "ashare-2023-drawdowns.yml" in line and "is not in the figure font" in line
    assert not (project / ".cache" / "build" / "manifest.json").exists()
    path.write_text(text, encoding="utf-8")
    assert mkdocs_build(project).returncode == 0
    assert (project / "site" / "assets" / "figures" / "ashare-2023-drawdowns.svg").is_file()
