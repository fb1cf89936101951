"""Build caches, so that unchanged work is not done again.

- Whole build: a fingerprint of every input (seeds and their data files, data/, the code, the figure
  font). When it matches the manifest of the last successful build and the outputs on disk are
  intact, the build does nothing (this is what a warm `mkdocs build` or an unchanged `mkdocs serve`
  rebuild costs).
- Per article, in memory: an article whose own files and the shared inputs are unchanged keeps its
  processed text and rendered page, so editing one translation during `mkdocs serve` re-renders
  one article.
The cache lives in .cache/ (git-ignored); deleting it only makes the next build slower.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import fonts
from .paths import Paths, atomic_write

CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Inputs:
    shared: str                      # data/, side files (titles appear on other pages), code
    articles: dict                   # seed stem -> digest of NAME.txt, NAME.yml, NAME.en.yml

    @property
    def fingerprint(self) -> str:
        h = hashlib.sha256(self.shared.encode())
        for stem in sorted(self.articles):
            h.update(f"{stem}={self.articles[stem]}".encode())
        return h.hexdigest()

    def article_key(self, stem: str) -> str:
        return f"{self.shared}:{self.articles.get(stem, '')}"


def _digest(files) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.name).encode() + b"\0")
        h.update(f.read_bytes() if f.exists() else b"(missing)")
        h.update(b"\0")
    return h.hexdigest()


def inputs(paths: Paths) -> Inputs:
    code = sorted(p for p in CODE.rglob("*") if p.is_file() and p.suffix in (".py", ".md") and "__pycache__" not in p.parts)
    data = sorted(p for p in paths.data.rglob("*") if p.is_file())
    sides = sorted(p for p in paths.seeds.glob("*.yml") if not p.name.endswith(".en.yml"))
    shared = _digest(code + data + sides + [paths.root / "mkdocs.yml"] + fonts.files())   # figures are drawn in it
    articles = {}
    for seed in sorted(paths.seeds.glob("*.txt")):
        articles[seed.stem] = _digest([seed, seed.with_suffix(".yml"), seed.with_suffix(".en.yml")])
    return Inputs(shared, articles)


def _manifest_path(paths: Paths) -> Path:
    return paths.cache / "manifest.json"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_manifest(paths: Paths) -> dict | None:
    try:
        return json.loads(_manifest_path(paths).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def outputs_intact(paths: Paths, manifest: dict) -> bool:
    for rel, digest in manifest.get("files", {}).items():
        p = paths.docs / rel
        if not p.exists() or sha(p.read_bytes()) != digest:
            return False
    return True


def digests(files: dict) -> dict[str, str]:
    return {rel: sha(c.encode("utf-8") if isinstance(c, str) else c) for rel, c in sorted(files.items())}


def save_manifest(paths: Paths, fingerprint: str, file_digests: dict[str, str], nav: list, words: list) -> None:
    """Record a complete build: every output path (relative to docs/) with the digest of its bytes."""
    record = {"fingerprint": fingerprint, "nav": nav, "words": words, "files": dict(sorted(file_digests.items()))}
    try:
        atomic_write(_manifest_path(paths), json.dumps(record, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass


def up_to_date(paths: Paths, inp: Inputs | None = None) -> dict | None:
    """The last build's manifest (nav, words, files) if no input changed since and its outputs are
    intact; else None."""
    inp = inp or inputs(paths)
    manifest = load_manifest(paths)
    if manifest and manifest.get("fingerprint") == inp.fingerprint and outputs_intact(paths, manifest):
        return manifest
    return None
