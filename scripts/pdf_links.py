"""PDFs on the site: the whole edition and each article, offered for download only when they exist.

`make pdf` (scripts/pdf.py) prints the built site into dist/: the whole edition (dist/baimozhi.pdf)
and one PDF per article (dist/articles/SLUG.pdf), and records them in dist/pdf.json with the
fingerprint of the inputs the site was built from (cache.Inputs.source_fingerprint) and each file's
digest. The next build reads that record: when its fingerprint is the current inputs' and every file
is there with its digest, the PDFs go into docs/pdf/ and the pages link them (each article its own,
the home page and the Articles index the whole edition); otherwise — never printed, printed from
other sources, or a file gone — no page links a PDF. So a site built with `mkdocs build` or
`make serve` alone never has a dead PDF link or one to a stale edition, and the choice is made from
files, never from the clock.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import html as h
from .cache import sha

MANIFEST = Path("dist") / "pdf.json"
WHOLE = "baimozhi.pdf"          # dist/baimozhi.pdf, the whole edition (scripts/pdf.py OUTPUT)
SITE_DIR = "pdf"                # docs/pdf/ -> site/pdf/
EDITION = ""                    # the key of the whole edition in `available`'s answer


def record(root: Path, fingerprint: str, files: dict[str, Path]) -> Path:
    """Write dist/pdf.json: the inputs' fingerprint and, per PDF (key: article slug, or EDITION for the
    whole), its path under dist/ and the digest of its bytes."""
    root = Path(root)
    entries = {key: {"path": str(p.resolve().relative_to((root / "dist").resolve())), "sha256": sha(p.read_bytes())}
               for key, p in sorted(files.items())}
    out = root / MANIFEST
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"fingerprint": fingerprint, "files": entries}, indent=1, sort_keys=True) + "\n",
                   encoding="utf-8")
    return out


def available(root: Path, fingerprint: str) -> dict[str, bytes]:
    """The PDFs dist/pdf.json records for these inputs, by key (slug, or EDITION), as bytes; {} when the
    record is missing, unreadable, for other inputs, or a file is missing or changed."""
    root = Path(root)
    try:
        manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("fingerprint") != fingerprint:
            return {}
        out = {}
        for key, entry in manifest["files"].items():
            path = (root / "dist" / entry["path"]).resolve()
            if (root / "dist").resolve() not in path.parents:
                return {}
            data = path.read_bytes()
            if sha(data) != entry["sha256"] or not data.startswith(b"%PDF-"):
                return {}
            out[str(key)] = data
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def site_files(pdfs: dict[str, bytes]) -> dict[str, bytes]:
    """docs/ paths of the PDFs: pdf/baimozhi.pdf and pdf/SLUG.pdf (slugs are [a-z0-9-])."""
    return {href(key): data for key, data in pdfs.items() if key == EDITION or re.fullmatch(r"[a-z0-9-]+", key)}


def href(key: str) -> str:
    """The PDF's path from the site root.

    >>> href(""), href("iflytek-first-loss")
    ('pdf/baimozhi.pdf', 'pdf/iflytek-first-loss.pdf')
    """
    return f"{SITE_DIR}/{WHOLE if key == EDITION else key + '.pdf'}"


def size(n: int) -> str:
    """A file size as a reader reads it.

    >>> size(2_400_000), size(356_000), size(900)
    ('2.3 MB', '348 KB', '1 KB')
    """
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def link(key: str, data: bytes | None, base: str, what: str) -> str:
    """'<a href="…pdf" download>what</a> (PDF, A4, 1.2 MB)', or '' when there is no such PDF."""
    if data is None:
        return ""
    return (f'<a class="bm-pdf" href="{h.attr(base + href(key))}" download type="application/pdf">{h.text(what)}</a> '
            f"(PDF, A4, {size(len(data))})")
