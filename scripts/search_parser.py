"""Material's search parser, answering the same questions in fewer steps.

Material's search plugin divides every page into sections with an `html.parser` subclass (`Parser`
in material/plugins/search/plugin.py). On each tag and each piece of text it asks whether a skipped
element is open (`skip.intersection(context)`), whether a `pre` is open and whether the section's
heading is open (`x in context`): each a walk over every open element through Python-level
`__hash__` and `__eq__` of its `Element`, which compare tags only. Our pages hold thousands of
annotated words, so those walks were half of the search plugin's time and a third of MkDocs'.

`parser_class(search)` returns a subclass that keeps, beside Material's own `context` list, a count of
the open elements by tag, and the skipped tags as a set of tags — exactly what Material's set of
strings and `Element`s amounts to, since an `Element` equals and hashes as its tag. The sections it
returns are the same, element for element and string for string (tests/test_speedups.py compares
both parsers on every page of the site and on generated HTML). It is written against one version
of Material's parser: `parser_class` returns None when the installed `Parser` is not that one (its
source differs), and Material's own parser is used.

Most of what is left is the standard library's tokenizer (`HTMLParser.goahead`), which takes a page
apart in pure Python, a few regular-expression matches and method calls per tag. `fast_goahead`,
the parser's `goahead`, first walks the page with one regular expression (`TOKEN`) that reads a
strict subset of HTML, and makes for each token the handler call the standard library's would:
- text up to the next `<`: one `handle_data(unescape(text))` (none where there is no text);
- `<name attrs>` and `<name attrs/>`: `handle_starttag` or `handle_startendtag` with the name
  lowercased (and kept as `lasttag`) and attrs as a list of (name lowercased, value) pairs: None for
  no value, a double-quoted value unquoted and, when not empty, passed through `unescape`. Names are
  ASCII letters, digits and `-.:_`; spaces are space, tab, LF, CR and FF, one or more before each
  attribute, any number around `=` and before the `>`; values hold no `<` or `>`; a start tag of
  script, style, textarea or title is not in the subset;
- `</name>`, spaces allowed before the `>`: `handle_endtag` with the name lowercased.
At the first place it cannot read (a comment, `<!`, `<?`, a `<` opening no tag, a single-quoted or
unquoted value, `==`, an element whose content is not HTML, text at the end of what was fed, ...)
it hands the rest, with the line count so far, to the standard library's `goahead`; so it does at
once in CDATA mode or without convert_charrefs. This is exact because on this subset the standard
library's own rules (tagfind_tolerant, attrfind_tolerant, locatestarttagend_tolerant, endtagfind,
and its text rule under convert_charrefs) find the same tokens, names and values, and never hold
such a token back for more input: text is followed by its `<`, tags end in `>`. Positions
(`getpos`) are brought up to date where it hands over, and `get_starttag_text` is not set for the
tags it reads: Material's Parser asks for neither. It is written against CPython 3.11.7's
html/parser.py: with any other (its source differs) the standard library tokenizes alone.
tests/test_speedups.py compares the handler calls of both on generated HTML, and checks that the
fast path reads nearly all of every article page.
"""
from __future__ import annotations

import hashlib
import html.parser
import inspect
import re
from collections import defaultdict
from html import escape, unescape

WRITTEN_FOR = "mkdocs-material 9.8.1"
PARSER_SOURCE = "3227e18afa8a20e15210cd0e298b6edee838f72f05024bd5d191dae87f57fa2b"   # sha256 of its Parser's source
HEADINGS = frozenset(f"h{x}" for x in range(1, 7))
ALWAYS_SKIPPED = ("object", "script", "style")

TOKENIZER_FOR = "CPython 3.11.7"
TOKENIZER_SOURCE = "2fc512ae95bed2746b5ba3fabb14fcebf3114ff808ce97d96214ddd613b253da"   # sha256 of html/parser.py
_NAME = r"[a-zA-Z][-.:_a-zA-Z0-9]*"
_SPACE = r"[ \t\n\r\f]"
_ATTR = rf'({_NAME})(?:{_SPACE}*={_SPACE}*("[^"<>]*"))?'
TOKEN = re.compile(rf"""
    ([^<]+)(?=<)                                                # 1 text, with its < after it
  | <({_NAME})((?:{_SPACE}+{_ATTR})*){_SPACE}*(/?)>             # 2 start tag, 3 attributes, 6 "/"
  | </({_NAME}){_SPACE}*>                                       # 7 end tag
""", re.VERBOSE)
ATTR = re.compile(_ATTR)
NOT_HTML_CONTENT = frozenset({"script", "style", "textarea", "title"})   # CDATA and RCDATA elements


def parser_class(search):
    """The faster parser for Material's search plugin module `search`, or None if that module's
    Parser is not the one this was written for."""
    try:
        base, element, section_class, void = search.Parser, search.Element, search.Section, search.void
        if getattr(base, "counts_open_tags", False):
            return base                       # installed already (`serve` configures again)
        source = inspect.getsource(base)
    except (AttributeError, OSError, TypeError):
        return None
    if _sha256(source) != PARSER_SOURCE:
        return None

    class CountingParser(base):
        """Material's Parser with open elements counted by tag (see the module docstring)."""
        counts_open_tags = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.skip_tags = set(ALWAYS_SKIPPED)      # Material's `skip`, as the tags it matches
            self.open = defaultdict(int)              # tag -> open elements with that tag

        def _skipping(self) -> bool:
            open_ = self.open
            return any(open_[tag] for tag in self.skip_tags)

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            el = element(tag, attrs)
            if tag in void:
                return
            self.context.append(el)
            self.open[tag] += 1
            if tag in HEADINGS:
                depth = len(self.context)
                if "id" in attrs:
                    if tag != "h1" and not self.data:
                        self.section = section_class(element("hx"), depth)
                        self.data.append(self.section)
                    self.section = section_class(el, depth)
                    if self.data:
                        self.section.id = attrs["id"]
                    self.data.append(self.section)
            if not self.section:
                self.section = section_class(element("hx"))
                self.data.append(self.section)
            for key, value in attrs.items():
                if key == "data-search-exclude" or (key == "class" and value == "linenodiv"):
                    self.skip_tags.add(tag)
                    return
            if tag in self.keep and not self._skipping():
                data = self.section.title if self.open[self.section.el.tag] else self.section.text
                data.append(f"<{tag}>")

        def handle_endtag(self, tag):
            context = self.context
            if not context or context[-1].tag != tag:
                return
            if self.section.depth > len(context):
                for section in reversed(self.data):
                    if section.depth <= len(context):
                        self.section.depth = float("inf")
                        self.section = section
                        break
            el = context.pop()
            self.open[el.tag] -= 1
            if el.tag in self.skip_tags:
                if el.tag not in ALWAYS_SKIPPED:
                    self.skip_tags.discard(el.tag)
                return
            if tag in self.keep and not self._skipping():
                data = self.section.title if self.open[self.section.el.tag] else self.section.text
                index = data.index(f"<{tag}>")
                for i in range(index + 1, len(data)):
                    if not data[i].isspace():
                        index = len(data)
                        break
                if len(data) > index:
                    del data[index:]
                else:
                    data.append(f"</{tag}>")

        def handle_data(self, data):
            if self._skipping():
                return
            pre = self.open["pre"]
            if not pre:
                data = data.replace("\n", " ") if not data.isspace() else " "
            if not self.section:
                self.section = section_class(element("hx"))
                self.data.append(self.section)
            section = self.section
            if self.open[section.el.tag]:
                if not any(el.tag == "a" and el.attrs.get("class") == "headerlink" for el in self.context):
                    section.title.append(escape(data, quote=False))
            elif data.isspace():
                text = section.text
                if not text or not text[-1].isspace() or pre:
                    text.append(data)
            else:
                section.text.append(escape(data, quote=False))

    if _sha256(inspect.getsource(html.parser)) == TOKENIZER_SOURCE:
        CountingParser.goahead = fast_goahead
    return CountingParser


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fast_goahead(self, end):
    """`HTMLParser.goahead`: the tokens of the subset by TOKEN, the rest by the standard library's
    (see the module docstring)."""
    rawdata, i = self.rawdata, 0
    if self.convert_charrefs and not self.cdata_elem:
        match, attributes = TOKEN.match, ATTR.findall
        on_data, on_start, on_startend, on_end = (self.handle_data, self.handle_starttag, self.handle_startendtag,
                                                  self.handle_endtag)
        while m := match(rawdata, i):
            text, tag, attrs, _, _, slash, endtag = m.groups()
            if text:
                on_data(unescape(text))
            elif endtag:
                on_end(endtag.lower())
            else:
                tag = tag.lower()
                if tag in NOT_HTML_CONTENT:
                    break
                self.lasttag = tag
                attrs = [(name.lower(), unescape(value[1:-1]) if value else None)
                         for name, value in attributes(attrs)] if attrs else []
                (on_startend if slash else on_start)(tag, attrs)
            i = m.end()
        self.updatepos(0, i)
        self.rawdata = rawdata[i:]
    html.parser.HTMLParser.goahead(self, end)
