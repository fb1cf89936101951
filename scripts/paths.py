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
