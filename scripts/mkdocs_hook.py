"""The one MkDocs hook: run our build before MkDocs reads docs/, and give it the navigation.

Plain `mkdocs build` / `mkdocs serve` on a fresh clone therefore produce the whole site; the
`watch:` list in mkdocs.yml makes `serve` rebuild when seeds/ or data/ change.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.build import build  # noqa: E402
from scripts.errors import BuildError  # noqa: E402
from scripts.paths import Paths  # noqa: E402

log = logging.getLogger("mkdocs.hooks.baimozhi")


def on_config(config):
    try:
        output = build(Paths(ROOT))
    except BuildError as exc:
        from mkdocs.exceptions import Abort
        raise Abort(f"Build stopped: {exc}") from None
    config["nav"] = output.nav
    _teach_search_jieba(output.words)
    return config


def _teach_search_jieba(words) -> None:
    """Material's search segments Chinese with Python jieba: give it the glossary's words too, so a
    search for 六小虎 or 百模大战 matches them as whole words."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    for form in words:
        jieba.add_word(form)
