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
"""
from __future__ import annotations

import hashlib
import inspect
from collections import defaultdict
from html import escape

WRITTEN_FOR = "mkdocs-material 9.8.1"
PARSER_SOURCE = "3227e18afa8a20e15210cd0e298b6edee838f72f05024bd5d191dae87f57fa2b"   # sha256 of its Parser's source
HEADINGS = frozenset(f"h{x}" for x in range(1, 7))
ALWAYS_SKIPPED = ("object", "script", "style")


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
    if hashlib.sha256(source.encode()).hexdigest() != PARSER_SOURCE:
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

    return CountingParser
