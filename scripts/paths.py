"""Where things live. Every stage takes paths from here so tests can point them elsewhere."""
from __future__ import annotations

import errno
import functools
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    """The project's folders, under one root (a test or the benchmark points it at a copy)."""
    root: Path = ROOT

    @property
    def seeds(self) -> Path:
        """Raw scrapes and their side files."""
        return self.root / "seeds"

    @property
    def data(self) -> Path:
        """Shared data: cleaning rules, glossary, who's who, figures, timeline."""
        return self.root / "data"

    @property
    def docs(self) -> Path:
        """What MkDocs compiles: our generated pages beside the hand-written assets."""
        return self.root / "docs"

    @property
    def generated(self) -> Path:
        """Build output inside docs/ (git-ignored): article pages, indexes, figures, JSON."""
        return self.docs / "articles"

    @property
    def cache(self) -> Path:
        """The build cache (manifest, drawn figures): deleting it makes the next build a cold one."""
        return self.root / ".cache" / "build"

    @property
    def lib(self) -> Path:
        """One-off indexes of installed libraries (CC-CEDICT as SQLite, jieba's character frequencies)."""
        return self.root / ".cache" / "lib"


def temporary(path: Path) -> Path:
    """Where `atomic_write` puts the bytes before the rename (left behind only by a killed process).

    >>> temporary(Path("docs/index.md")).as_posix()
    'docs/.index.md.tmp'
    """
    return path.with_name(f".{path.name}.tmp")


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file and a rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    tmp.write_bytes(data)
    tmp.replace(path)


def atomic_link(source: Path, path: Path) -> None:
    """Make `path` the same file as `source` (a hard link put in place by a rename, as `atomic_write`
    does), or a copy of it where the file system cannot link (another device, no hard links). For
    build output that repeats a file the build wrote: no bytes are read or written again. Every
    writer here replaces files by renaming, never in place, so the two names never see a change
    meant for one of them."""
    try:
        if os.path.samefile(source, path):
            return      # already (renaming one name of a file onto another would do nothing, leaving the temporary)
    except OSError:
        pass            # no such path yet
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary(path)
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        atomic_write(path, Path(source).read_bytes())
        return
    tmp.replace(path)


def atomic_sqlite(path: Path, fill) -> None:
    """Make an SQLite file as `atomic_write` makes a file: `fill(db)` writes the tables in one
    transaction into a temporary file of this process's own (two processes may make the same library
    index at once), which is then renamed into place; a failure leaves nothing behind."""
    import sqlite3
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            with db:
                fill(db)
        finally:
            db.close()
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_if_changed(path: Path, content: str | bytes) -> bool:
    """Write atomically unless the file already holds these bytes; whether it wrote."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


@contextmanager
def edit_lock(path: Path):
    """Hold the edit lock of the folder `path` is in, for a read-modify-write of the file: two
    commands editing one file (two `accept`s at once) take turns, so neither edit is lost. The lock
    is flock(2) on the folder itself: no lock file is left behind, and the renames of atomic writes
    inside it do not change what is locked. The kernel releases it when the process ends, however it
    ends; a Ctrl-C while waiting interrupts the wait."""
    import fcntl
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def locked_edit(edit):
    """Decorator: run `edit(path, …)` holding `edit_lock(path)` from its first read to its last write."""
    @functools.wraps(edit)
    def run(path: Path, *args, **kwargs):
        with edit_lock(path):
            return edit(path, *args, **kwargs)
    return run


def copy_project(dest: Path, seeds: bool = True, figures: bool = True, source: Path = ROOT) -> Path:
    """A throwaway copy of the project to build in (tests, benchmark): code, data, seeds, assets,
    mkdocs.yml and the library indexes in .cache/lib (not the build cache)."""
    import shutil
    for name in ("scripts", "data", "overrides"):
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
    if Paths(source).lib.exists():
        shutil.copytree(Paths(source).lib, Paths(dest).lib)
    (dest / "seeds").mkdir()
    if seeds:
        for p in (source / "seeds").iterdir():
            shutil.copy(p, dest / "seeds" / p.name)
    return dest


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def not_a_file(path: Path) -> str | None:
    """Why the build must not read `path` as an input file, or None for a regular file. A symbolic
    link is refused wherever it points (it could publish any file on the machine); a pipe would hang
    the read; a directory or device is no file. Raises OSError when the path cannot be looked at.

    >>> not_a_file(Path(__file__)) is None, not_a_file(Path(__file__).parent)
    (True, 'a directory')
    """
    st = path.lstat()
    if stat.S_ISLNK(st.st_mode):
        try:
            path.stat()
            return f"a symbolic link to {os.readlink(path)}"
        except OSError as exc:
            return ("a symbolic link that loops" if exc.errno == errno.ELOOP
                    else f"a broken symbolic link (to {os.readlink(path)})")
    if not stat.S_ISREG(st.st_mode):
        return next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
    return None
