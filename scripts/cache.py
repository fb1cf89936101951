"""Build caches, so that unchanged work is not done again — one object, `Cache`, owns them all.

- Whole build: a fingerprint of every input (seeds and their data files, data/, the code, the figure
  font). When it matches the manifest of the last successful build and the outputs on disk are
  intact, the build does nothing (this is what a warm `mkdocs build` or an unchanged `mkdocs serve`
  rebuild costs).
- Per article, in memory: an article whose own files and the shared inputs are unchanged keeps its
  processed text and rendered page, so editing one translation during `mkdocs serve` re-renders
  one article.
- Figures: drawn SVGs by the digest of their data and drawing code, in .cache/build/figures.
- Library indexes: one-off tables built from installed libraries (CC-CEDICT as SQLite, jieba's
  character frequencies, pypinyin's answers: scripts/pinyin.py) in .cache/lib, kept when the build
  cache is cleared.
The cache lives in .cache/ (git-ignored); deleting it only makes the next build slower.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from . import fonts
from .paths import Paths, atomic_write

CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Inputs:
    """Digests of everything a build reads: the shared inputs, and each article's own files."""
    shared: str                      # data/, side files (titles appear on other pages), code
    articles: dict                   # seed stem -> digest of NAME.txt|md|html, NAME.yml, NAME.en.yml
    pdf: str = ""                    # digest of dist/pdf.json, the PDFs printed (pdf_links.py); "" if none

    @property
    def source_fingerprint(self) -> str:
        """One digest of the sources (everything but the printed PDFs): what dist/pdf.json records."""
        h = hashlib.sha256(self.shared.encode())
        for stem in sorted(self.articles):
            h.update(f"{stem}={self.articles[stem]}".encode())
        return h.hexdigest()

    @property
    def fingerprint(self) -> str:
        """One digest of every input: equal fingerprints, equal builds."""
        return hashlib.sha256(f"{self.source_fingerprint}:{self.pdf}".encode()).hexdigest() if self.pdf \
            else self.source_fingerprint

    def article_key(self, stem: str) -> str:
        """What one article's pages are made of: the shared inputs, its own files, the PDFs offered."""
        return f"{self.shared}:{self.pdf}:{self.articles.get(stem, '')}"


def _digest(files) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.name).encode() + b"\0")
        h.update(f.read_bytes() if f.exists() else b"(missing)")
        h.update(b"\0")
    return h.hexdigest()


def inputs(paths: Paths) -> Inputs:
    """Read and digest every input of a build of the project at `paths`."""
    code = sorted(p for p in CODE.rglob("*") if p.is_file() and p.suffix in (".py", ".md") and "__pycache__" not in p.parts)
    data = sorted(p for p in paths.data.rglob("*") if p.is_file())
    from .ingest import find_seeds
    seeds = find_seeds(paths.seeds)       # checked: only regular files are read (a pipe would hang)
    sides = sorted(p for p in paths.seeds.glob("*.yml") if not p.name.endswith(".en.yml"))
    overrides = sorted(p for p in (paths.root / "overrides").rglob("*") if p.is_file())
    shared = _digest(code + data + sides + overrides + [paths.root / "mkdocs.yml"] + fonts.files())  # figures are drawn in the font
    shared = hashlib.sha256(f"{shared}:{os.environ.get('SITE_URL', '')}".encode()).hexdigest()   # permalinks, feed
    articles = {}
    for seed in seeds:
        articles[seed.stem] = _digest([seed, seed.with_suffix(".yml"), seed.with_suffix(".en.yml")])
    from .pdf_links import MANIFEST
    pdf = _digest([paths.root / MANIFEST]) if (paths.root / MANIFEST).is_file() else ""
    return Inputs(shared, articles, pdf)


def sha(data: bytes) -> str:
    """SHA-256 of bytes, as hex.

    >>> sha(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


@dataclass
class Memory:
    """What one process keeps between builds (a long-running `mkdocs serve`). Keys name the project
    and the digests of what each item is made of, so an entry is never reused for changed inputs."""
    articles: dict = field(default_factory=dict)    # project:article key -> processed Article
    rendered: dict = field(default_factory=dict)    # project:article key -> rendered page
    contexts: dict = field(default_factory=dict)    # (project, shared digest) -> Context
    reference: dict = field(default_factory=dict)   # glossary / who's who files, by what they are made of
    svgs: dict = field(default_factory=dict)        # figure SVG bytes by their cache key
    hant: dict = field(default_factory=dict)        # (kind, page text, names) -> its 繁 entries (hant_pages.py)
    figure_data: dict = field(default_factory=dict)  # (project, shared digest) -> build.FigureData
    written: dict = field(default_factory=dict)      # docs/ path -> (content, stat, digest) as build.write left it

    def clear(self) -> None:
        """Forget everything (the benchmark measures builds from nothing)."""
        for table in (self.articles, self.rendered, self.contexts, self.reference, self.svgs, self.hant,
                      self.figure_data, self.written):
            table.clear()

    def keep_articles(self, keys) -> None:
        """Forget processed and rendered articles this build did not use (a seed was deleted or edited)."""
        wanted = set(keys)
        for table in (self.articles, self.rendered):
            for k in [k for k in table if k not in wanted]:
                del table[k]


class Cache:
    """The build's caches for the project at `paths`: on disk the manifest of the last complete build,
    the site data (navigation and search words), drawn figures (.cache/build) and library indexes
    (.cache/lib); in memory the process's `Memory` (shared by every Cache of the process)."""

    memory: ClassVar[Memory] = Memory()

    def __init__(self, paths: Paths | None = None):
        self.paths = paths or Paths()

    @property
    def figures(self) -> Path:
        """Drawn SVGs, by the digest of their data and the drawing code."""
        return self.paths.cache / "figures"

    @property
    def lib(self) -> Path:
        """One-off indexes of installed libraries (kept by `make clean-site`)."""
        return self.paths.lib

    @property
    def manifest_file(self) -> Path:
        """The record of the last complete build."""
        return self.paths.cache / "manifest.json"

    @property
    def site_file(self) -> Path:
        """The site data the pipeline computed beside docs/: the navigation (MkDocs `nav`) and the
        glossary's words for the search segmenter, for any site builder to read."""
        return self.paths.cache / "site.json"

    def site(self) -> dict | None:
        """The site data of the last build ({"nav": [...], "search_words": [...]}), or None."""
        try:
            data = json.loads(self.site_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and {"nav", "search_words"} <= data.keys() else None

    def save_site(self, nav: list, words: list) -> None:
        """Write the site data (only if it changed)."""
        data = json.dumps({"nav": nav, "search_words": words}, ensure_ascii=False, indent=1) + "\n"
        encoded = data.encode("utf-8")
        try:
            if self.site_file.read_bytes() == encoded:
                return
        except OSError:
            pass
        atomic_write(self.site_file, encoded)

    def inputs(self) -> Inputs:
        """Digests of this project's inputs now."""
        return inputs(self.paths)

    def article_key(self, inp: Inputs, stem: str) -> str:
        """The in-memory key of one article of this project."""
        return f"{self.paths.root}:{inp.article_key(stem)}"

    def manifest(self) -> dict | None:
        """The last complete build's record, or None if there is none (or it is unreadable)."""
        try:
            return json.loads(self.manifest_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def outputs_intact(self, manifest: dict) -> bool:
        """Every file the manifest lists is in docs/ with the bytes it had."""
        for rel, digest in manifest.get("files", {}).items():
            p = self.paths.docs / rel
            if not p.exists() or sha(p.read_bytes()) != digest:
                return False
        return True

    def up_to_date(self, inp: Inputs | None = None) -> dict | None:
        """The last build's site data (nav, search words) if no input changed since and its outputs
        are intact; else None."""
        inp = inp or self.inputs()
        manifest = self.manifest()
        if manifest and manifest.get("fingerprint") == inp.fingerprint and self.outputs_intact(manifest):
            return self.site()
        return None

    def save_manifest(self, fingerprint: str, file_digests: dict[str, str]) -> None:
        """Record a complete build: every output path (relative to docs/) with the digest of its bytes."""
        record = {"fingerprint": fingerprint, "files": dict(sorted(file_digests.items()))}
        try:
            atomic_write(self.manifest_file, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass
