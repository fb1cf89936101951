"""Escaping for text that must stay text: in raw HTML blocks and in Markdown headings alike."""
from __future__ import annotations

import html

# Characters Markdown (or attr_list, or a template engine) could read as syntax. As numeric
# entities they display the same and mean nothing.
_SPECIAL = {c: f"&#{ord(c)};" for c in "*_[]`{}#|~\\<>&\"'$!:"}
_TABLE = str.maketrans(_SPECIAL)


def text(value: str) -> str:
    """Escape for element content, Markdown-inert: <script> -> &#60;script&#62;, *x* stays literal."""
    return value.translate(_TABLE)


def attr(value: str) -> str:
    """Escape for a double-quoted attribute value."""
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")
