"""One error type for every bad input, printed as a single line naming file, line and remedy."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildError(Exception):
    """The one error a build stops with: printed as `file:line: message — remedy`. It pickles
    whole, so it crosses from a worker process intact.
    """
    path: str | Path
    message: str
    line: int | None = None
    remedy: str = ""

    def __reduce__(self):          # so it crosses from a worker process intact
        return (type(self), (self.path, self.message, self.line, self.remedy))

    def __str__(self) -> str:
        where = str(self.path) + (f":{self.line}" if self.line else "")
        text = f"{where}: {self.message}"
        if self.remedy:
            text += f" — {self.remedy}"
        return " ".join(text.split("\n"))
