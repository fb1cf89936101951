"""jieba's dictionary (rjieba), loaded once for a process and the workers it forks.

Two word cutters start from jieba's dictionary alone: the annotator's (scripts/annotate/words.py),
which then learns the glossary's words, and Material's search (scripts/hooks/search_segmenter.py).
Loading the dictionary takes a third of a second. A one-off `mkdocs build` runs the first in the
page-build worker and the second in the MkDocs process; `preload()` there, before the worker is
forked, lets both take their own copy of one load (`fresh()`), where each would load its own.
Each cutter stays its own: what one learns, the other does not (a forked worker's copy is its own
memory; in one process the preloaded cutter goes to the first taker and the next loads anew).
Importing rjieba loads a cutter of its own, whose methods are the module's functions (rjieba.cut,
rjieba.add_word …): that one is the first cutter a process hands out (`_new`), so the import is
the only load a process with one cutter pays for.
The module imports nothing of the pipeline, so the MkDocs process can use it when nothing is built.
"""
from __future__ import annotations

_SPARE: list = []      # at most one cutter loaded ahead, not yet taken
_HANDED: list = []     # whether rjieba's own cutter (the module) was handed out in this process


def _new():
    """A cutter no one has: rjieba's own (loaded by the import) the first time, then a new one."""
    import rjieba
    if not _HANDED:
        _HANDED.append(True)
        return rjieba
    return rjieba.Jieba()


def preload() -> None:
    """Load a cutter now for the next `fresh()` here and in every worker forked from here after."""
    if not _SPARE:
        _SPARE.append(_new())


def fresh():
    """A cutter with jieba's dictionary and nothing added: the preloaded one if it is still here."""
    if _SPARE:
        return _SPARE.pop()
    return _new()
