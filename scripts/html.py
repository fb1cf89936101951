"""Escaping at the output boundary: one function per context, and nothing else builds output from data.

Every string that comes from a scrape, a file name or a data file reaches a page, a template slot or
an export through exactly one of these:

| context                                              | function         |
|------------------------------------------------------|------------------|
| element content of our pages (Markdown-inert)        | `text`           |
| a double-quoted attribute value in our pages         | `attr`           |
| a link or source address built from data             | `url`            |
| a Jinja slot Material prints raw (nav, `<title>`, header, meta description, front matter) | `template_text`, `nav` |
| a CSV cell (no spreadsheet formulas)                 | `csv_table`      |
| a field of an Anki deck (`#html:true`)               | `anki_field`     |
| JSON inside `<script>`                               | `json_script`    |
| a JSON file                                          | `json_text`      |
| text for an XML writer that escapes markup (the Atom feed) | `xml_text` |
| a BibTeX field (read by LaTeX)                       | `bibtex_text`    |

Characters HTML cannot carry (lone surrogates, control characters other than tab and line breaks,
noncharacters) are shown as U+FFFD everywhere: `visible` says exactly which.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
import urllib.parse

# Lone surrogates (an undecodable file name, a "\\ud800" escape in YAML) cannot be written as UTF-8;
# C0/C1 controls and noncharacters are not text in HTML. Tab, line feed and carriage return are.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
                       "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
                       "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
                       "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")
SURROGATE_RE = re.compile("[\ud800-\udfff]")      # also the annotators' (a UTF-8 library cannot read them)


def visible(value: str) -> str:
    """The text as a page can show it: characters HTML cannot carry become U+FFFD, one for one.

    >>> visible("a\\x00b\\tc\\ud800")
    'a\\ufffdb\\tc\\ufffd'
    """
    if value.isprintable():       # fast path: every character _NOT_TEXT names is unprintable
        return value
    return _NOT_TEXT.sub("\ufffd", value)


# Characters that HTML, Markdown (inline syntax, attr_list, tables, headings), MathJax-style
# delimiters or a template engine could read as syntax, and line breaks (a blank line would end a
# raw HTML block). As numeric character references they display the same and mean nothing.
_SPECIAL = {c: f"&#{ord(c)};" for c in "*_[]`{}#|~\\<>&\"'$!:\n\r"}
# One pass of a character class finds them (str.translate with a table of strings looks every
# character up in a dict: five times slower on a line of Chinese, where there are none to find).
_SPECIAL_RE = re.compile("[" + re.escape("".join(_SPECIAL)) + "]")


def _special(m: re.Match) -> str:
    return _SPECIAL[m.group()]


def text(value: str) -> str:
    """Escape for element content in our Markdown pages: Markdown- and HTML-inert, shown literally.

    >>> text("<script>*x*</script>")
    '&#60;script&#62;&#42;x&#42;&#60;/script&#62;'
    """
    return _SPECIAL_RE.sub(_special, visible(value))


def attr(value: str) -> str:
    """Escape for a double-quoted attribute value. The same table as `text`: an attribute of an
    inline tag in a Markdown heading is still read by Markdown's code-span and link patterns."""
    return text(value)


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def url(value: str) -> str:
    """A relative path, or an http(s)/mailto address, percent-encoded and ready for an href or src.

    >>> url("articles/a b/#p-1")
    'articles/a%20b/#p-1'
    >>> url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    ValueError: refused URL scheme 'javascript'
    """
    value = visible(value)
    m = _SCHEME.match(value)
    if m and m.group(1).lower() not in SAFE_SCHEMES:
        raise ValueError(f"refused URL scheme {m.group(1)!r}")
    # What quote() leaves are URL characters no Markdown pattern reads inside a tag; & is escaped.
    return html.escape(urllib.parse.quote(value, safe="/#?&=%@+,;:~.-_"), quote=True)


def template_text(value: str) -> str:
    """For a slot of the theme that prints a value raw, in element content or an attribute alike:
    the navigation, `<title>`, the page header, the meta description (MkDocs' Jinja does not
    autoescape). Plain entities, which Material's search index reads as HTML too.

    >>> template_text('T"><script>')
    'T&quot;&gt;&lt;script&gt;'
    """
    return html.escape(" ".join(visible(value).split()), quote=True)


def nav_text(value: str) -> str:
    """A navigation title for Zensical's config (scripts/site_config.py). Zensical, like Material, puts
    nav titles into the page unescaped, while its search dialog shows the same string as text, so
    only what HTML would read as markup is escaped (an apostrophe stays an apostrophe in both places).

    >>> nav_text("R&D <script>China's</script>")
    "R&amp;D &lt;script&gt;China's&lt;/script&gt;"
    """
    return html.escape(" ".join(visible(value).split()), quote=False)


def nav(entries):
    """The navigation with every title escaped once, as `Markup`: Material prints nav titles raw in
    the menu and the footer, and escapes them again (`| e`) in the footer's aria-label, which
    leaves Markup as it is. So each shows the literal title."""
    from markupsafe import Markup
    if isinstance(entries, list):
        return [nav(e) for e in entries]
    if isinstance(entries, dict):
        return {Markup(template_text(k)): nav(v) for k, v in entries.items()}
    return entries


# A spreadsheet runs a cell that starts with one of = + - @ (after any blanks), or with a tab or
# carriage return, as a formula; an apostrophe in front makes it text (and is not shown). A plain
# number stays a number.
_FORMULA = re.compile(r"[\s\x00]*[=+\-@]|[\t\r]")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def csv_cell(value) -> str:
    """One CSV cell, never a formula. Line breaks inside it become `\\n` (a lone carriage return would
    end the row in a reader that expects `\\n` rows).

    >>> csv_cell("=1+1"), csv_cell("-12.5"), csv_cell(" @x"), csv_cell(None)
    ("'=1+1", '-12.5', "' @x", '')
    """
    cell = "" if value is None else SURROGATE_RE.sub("\ufffd", str(value))
    if _NUMBER.fullmatch(cell):
        return cell
    if _FORMULA.match(cell):
        cell = "'" + cell
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def csv_table(header: list[str], rows) -> str:
    """A whole CSV file (one line per row, `\\n` endings), every cell through `csv_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    done: dict = {}              # each distinct value once: a table repeats its sentences and labels

    def cell(value) -> str:
        key = (type(value), value)      # 1, 1.0 and True are equal keys but different cells
        try:
            out = done.get(key)
        except TypeError:               # an unhashable value
            return csv_cell(value)
        if out is None:
            out = done[key] = csv_cell(value)
        return out
    w.writerow([cell(c) for c in header])
    for row in rows:
        w.writerow([cell(c) for c in row])
    return buf.getvalue()


_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")


def anki_field(value: str) -> str:
    """(Part of) a field of a tab-separated Anki deck whose fields are HTML: escaped, on one line,
    no tabs.

    >>> anki_field('<img src=x>\tA "b" #1')
    '&lt;img src=x&gt; A &quot;b&quot; &#35;1'
    """
    # "#" too: a note line that starts with it would read as a header or comment
    return html.escape(_LINE_BREAKS.sub(" ", visible(value)), quote=True).replace("#", "&#35;")


def xml_text(value: str) -> str:
    """Text for an XML writer that escapes markup itself (feedgen/lxml for the Atom feed): only the
    characters XML cannot carry are replaced (lxml refuses them with an error)."""
    return visible(value)


# LaTeX reads a BibTeX field: braces must stay balanced and no command may come from the data.
# pybtex escapes % & # _ ~ itself; these it leaves are written as the commands that print them.
_BIBTEX = str.maketrans({"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}",
                         "$": "\\$", "^": "\\textasciicircum{}"})


def bibtex_text(value: str) -> str:
    r"""A BibTeX field value (before pybtex writes it): no unbalanced brace, no LaTeX command.

    >>> print(bibtex_text("a}, author = {b \\input{x} $5^2"))
    a\textbraceright{}, author = \textbraceleft{}b \textbackslash{}input\textbraceleft{}x\textbraceright{} \$5\textasciicircum{}2
    """
    return " ".join(visible(value).split()).translate(_BIBTEX)


def json_text(data, **options) -> str:
    """JSON as text that is always valid UTF-8: a lone surrogate is written as its escape."""
    out = json.dumps(data, ensure_ascii=False, **options)
    return SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def json_script(data) -> str:
    """JSON to place inside `<script type="application/json">`: `<`, `>`, `&` and the two Unicode
    line separators escaped, so no string can close the element or start a comment.

    >>> json_script({"k": "</script>"})
    '{"k":"\\\\u003c/script\\\\u003e"}'
    """
    out = json_text(data, sort_keys=True, separators=(",", ":"))
    for ch in "<>&\u2028\u2029":
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return out
