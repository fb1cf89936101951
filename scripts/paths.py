"""Where things live. Every stage takes paths from here so tests can point them elsewhere."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """The project's folders, under one root (a test or the benchmark points it at a copy)."""
    root: Path = ROOT

    @property
    def seeds(self) -> Path:
        """Raw scrapes and their side files."""
        return self.root / "seeds"

    @property
    def data(self) -> Path:
        """Shared data: cleaning rules, glossary, who's who, figures, timeline."""
        return self.root / "data"

    @property
    def docs(self) -> Path:
        """What MkDocs compiles: our generated pages beside the hand-written assets."""
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        """Build output inside docs/ (git-ignored): article pages, indexes, figures, JSON."""
        return self.docs / "articles"

    @property
    def cache(self) -> Path:
        """The build cache (manifest, drawn figures): deleting it makes the next build a cold one."""
        return self.root / ".cache" / "build"

    @property
    def lib(self) -> Path:
        """One-off indexes of installed libraries (CC-CEDICT as SQLite, jieba's character frequencies)."""
        return self.root / ".cache" / "lib"


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def copy_project(dest: Path, seeds: bool = True, figures: bool = True, source: Path = ROOT) -> Path:
    """A throwaway copy of the project to build in (tests, benchmark): code, data, seeds, assets,
    mkdocs.yml and the library indexes in .cache/lib (not the build cache)."""
    import shutil
    for name in ("scripts", "data", "overrides"):
        shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    if not figures:
        shutil.rmtree(dest / "data" / "figures", ignore_errors=True)
        (dest / "data" / "timeline.yml").unlink(missing_ok=True)
    (dest / "docs" / "assets").mkdir(parents=True)
    for p in (source / "docs" / "assets").iterdir():
        if p.is_file():
            shutil.copy(p, dest / "docs" / "assets" / p.name)
    shutil.copytree(source / "docs" / "assets" / "fonts", dest / "docs" / "assets" / "fonts")
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    if Paths(source).lib.exists():
        shutil.copytree(Paths(source).lib, Paths(dest).lib)
    (dest / "seeds").mkdir()
    if seeds:
        for p in (source / "seeds").iterdir():
            shutil.copy(p, dest / "seeds" / p.name)
    return dest
