"""PDFs on the site (scripts/pdf_links.py): offered only when `make pdf` printed them from these very
sources, never a dead link. A site built without PDFs links none; PDFs recorded for other sources, or
changed since, are not offered; a real article PDF, printed in Chromium, is linked from its page."""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import build, pdf_links
from scripts.cache import inputs
from scripts.paths import Paths
from tests.conftest import build_site
from tests.test_browser import site  # noqa: F401
from tests.test_links import PageLinks

FAKE = b"%PDF-1.4\n% a stand-in for a printed PDF\n"


def pdf_hrefs(folder: Path) -> list[tuple[str, str]]:
    """(page, href) for every link to a .pdf in the built site's pages."""
    out = []
    for page in sorted(folder.rglob("*.html")):
        parser = PageLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        out += [(str(page.relative_to(folder)), url) for _, url, _ in parser.links if url.split("#")[0].endswith(".pdf")]
    return out


def test_a_site_built_without_pdfs_links_none(site):
    """`mkdocs build` / `make site` / `make serve` alone: no PDF was printed, so no page offers one."""
    assert not pdf_hrefs(site), "a page links a PDF the build does not have"
    assert not (site / pdf_links.SITE_DIR).exists()
    assert 'class="bm-pdf"' not in (site / "index.html").read_text(encoding="utf-8")


def _pages(proj: Path) -> dict:
    out = build.build(Paths(proj))
    assert not out.cached
    return out.files


def _fake_print(proj: Path, keys: list[str]) -> dict[str, Path]:
    files = {}
    for key in keys:
        p = proj / "dist" / ("baimozhi.pdf" if key == pdf_links.EDITION else f"articles/{key}.pdf")
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(FAKE + key.encode())
        files[key] = p
    pdf_links.record(proj, inputs(Paths(proj)).source_fingerprint, files)
    return files


def test_pdfs_are_offered_only_for_the_sources_they_were_printed_from(project):
    first = _pages(project)
    assert not any(rel.startswith("pdf/") for rel in first)
    assert not any('class="bm-pdf"' in text for text in first.values() if isinstance(text, str))
    slug = min(rel.split("/")[1] for rel in first if re.fullmatch(r"articles/[^/]+/index\.md", rel))

    _fake_print(project, [pdf_links.EDITION, slug])
    files = _pages(project)
    assert files["pdf/baimozhi.pdf"].startswith(FAKE) and files[f"pdf/{slug}.pdf"].startswith(FAKE)
    assert f'href="../../pdf/{slug}.pdf"' in files[f"articles/{slug}/index.md"]
    assert 'href="pdf/baimozhi.pdf"' in files["index.md"] and 'href="../pdf/baimozhi.pdf"' in files["articles/index.md"]
    others = [rel for rel in files if re.fullmatch(r"articles/[^/]+/index\.md", rel) and rel != f"articles/{slug}/index.md"]
    assert others and not any("bm-pdf" in files[rel] for rel in others), "only the printed article links a PDF"
    assert (project / "docs" / "pdf" / f"{slug}.pdf").is_file()

    # a PDF changed after it was recorded: nothing offered, and the copies in docs/ are removed
    (project / "dist" / "baimozhi.pdf").write_bytes(FAKE + b"edited")
    manifest = json.loads((project / pdf_links.MANIFEST).read_text(encoding="utf-8"))
    (project / pdf_links.MANIFEST).write_text(json.dumps(manifest) + " ", encoding="utf-8")   # a new build
    files = _pages(project)
    assert not any(rel.startswith("pdf/") for rel in files) and not (project / "docs" / "pdf" / f"{slug}.pdf").exists()

    # printed from other sources (a translation edited since): stale, not offered
    _fake_print(project, [pdf_links.EDITION, slug])
    memory = next(project.glob("seeds/*.en.yml"))
    memory.write_text(memory.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    files = _pages(project)
    assert not any('class="bm-pdf"' in text for text in files.values() if isinstance(text, str))


def test_a_record_pointing_outside_dist_is_refused(tmp_path):
    (tmp_path / "dist").mkdir()
    (tmp_path / "secret.pdf").write_bytes(FAKE)
    (tmp_path / pdf_links.MANIFEST).write_text(json.dumps({"fingerprint": "f", "files": {"x": {
        "path": "../secret.pdf", "sha256": pdf_links.sha(FAKE)}}}), encoding="utf-8")
    assert pdf_links.available(tmp_path, "f") == {}
    assert pdf_links.site_files({"../../etc": FAKE, "ok-slug": FAKE}) == {"pdf/ok-slug.pdf": FAKE}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_a_printed_article_pdf_is_linked_from_its_page(tmp_path):
    """The real thing: build the site, print one article in Chromium (scripts/pdf.py), build again —
    the article's page links its PDF, the file is in the site, and it holds the article's text."""
    from scripts.pdf import article_cards, main
    proj = build_site(tmp_path / "proj")
    card = article_cards(proj / "site")[0]
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(main, proj, None, None, [card.slug]).result(timeout=300)
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    result = subprocess.run([mkdocs, "build", "--strict", "--quiet"], cwd=proj, env=dict(env, NO_MKDOCS_2_WARNING="1"),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    site_dir = proj / "site"
    links = pdf_hrefs(site_dir)
    assert (f"articles/{card.slug}/index.html", f"../../pdf/{card.slug}.pdf") in links, links
    for page, href in links:
        target = (site_dir / page).parent / href
        assert target.resolve().is_file(), f"{page} links {href}, which is not in the site"
    pdf = site_dir / "pdf" / f"{card.slug}.pdf"
    assert pdf.read_bytes() == (proj / "dist" / "articles" / f"{card.slug}.pdf").read_bytes()
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert card.zh[:8] in text.replace("\n", "") and card.en.split()[0] in text
    assert 'class="bm-edition"' not in (site_dir / "index.html").read_text(encoding="utf-8"), \
        "no whole edition printed, none offered"
