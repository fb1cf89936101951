"""Where things live. Every stage takes paths from here so tests can point them elsewhere."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    root: Path = ROOT

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        """Build output inside docs/ (git-ignored): article pages, indexes, figures, JSON."""
        return self.docs / "articles"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "build"


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
    for name in ("scripts", "data"):
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
    if (source / ".cache" / "lib").exists():
        shutil.copytree(source / ".cache" / "lib", dest / ".cache" / "lib")
    (dest / "seeds").mkdir()
    if seeds:
        for p in (source / "seeds").iterdir():
            shutil.copy(p, dest / "seeds" / p.name)
    return dest
