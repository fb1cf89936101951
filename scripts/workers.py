"""Background work, one way for the whole build: forked worker processes that each send back one
message — their result, or their exception — and never outlive the process that started them.

    >>> Worker(pow, 2, 10).result()
    1024
    >>> parallel(abs, [-1, 2, -3], processes=2).result()
    [1, 2, 3]

- `Worker(fn, *args)` runs `fn(*args)` in a forked child; `fn` may be named "module:function",
  imported by the child, so the parent need not load its code. `result()` waits and returns its value,
  or raises its exception here: a BuildError as the same one-line error, anything else with the
  child's traceback attached as the cause. `cancel()` kills the child and reaps it.
- `parallel(fn, items, processes)` spreads `fn(item)` over several workers, each taking the next
  item as soon as it is free; `result()` lists the results in the order of `items`.
- `Shared(fn, items, join)` does the same work in the calling process, and forks one worker to take
  items beside it once `join()` says a core is free (a `Flag` another process raises, say).

Lifetime. A worker ignores SIGINT (Ctrl-C is its parent's to handle; a terminal sends it to the
whole process group) and takes SIGTERM's default (it dies). It dies with its parent: on Linux the
kernel sends it SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG), however the parent ends;
elsewhere `parallel` workers stop before their next item once their parent is gone. A parent that
exits normally, by an exception or by Ctrl-C, kills and reaps every worker it still has (atexit);
one killed by a signal leaves that to the kernel. Workers started by a worker are its own, and go
with it. A worker is forked from the calling thread and, on Linux, dies when that thread ends:
start workers from the main thread.
"""
from __future__ import annotations

import atexit
import os
import pickle
import select
import signal
import sys
import traceback
from contextlib import contextmanager

from .errors import BuildError

# A worker that allocates millions of objects in one go and ends with its job (the page build: its
# dictionaries, articles and pages; the drawing: matplotlib's artists) sets its cyclic collector to
# run every BATCH_GC[0] allocations instead of every 700: a handful of collections instead of
# hundreds (half a second of the page build, a twentieth of the drawing), memory still bounded.
BATCH_GC = (50_000, 20, 20)

_LIVE: dict[int, "Worker"] = {}     # pid -> worker started by this process and not yet reaped
_PR_SET_PDEATHSIG = 1
_JOB = 4                            # bytes per item index on a parallel job pipe


class WorkerTraceback(Exception):
    """The traceback of an exception raised in a worker, shown as the cause of the re-raised one."""

    def __str__(self) -> str:
        return "\n" + str(self.args[0]).rstrip()


class Worker:
    """`fn(*args)` in a forked child process; `name` appears in errors, `nice` lowers its priority
    against the other processes of its session. `session=True` gives it a session of its own: where
    the kernel shares the CPU between sessions first (Linux autogroups), it is then scheduled as a
    program of its own beside the build instead of taking a share of the build's. Its lifetime is
    the same either way."""

    def __init__(self, fn, *args, name: str = "worker", nice: int = 0, session: bool = False):
        self.name = name
        module = fn.partition(":")[0] if isinstance(fn, str) else getattr(fn, "__module__", "scripts")
        self.source = module.replace(".", "/") + ".py"
        self._outcome: tuple | None = None
        parent = os.getpid()
        for stream in (sys.stdout, sys.stderr):   # else the child would write the parent's pending output again
            if stream is not None:
                stream.flush()
        read_end, write_end = os.pipe()
        with _interrupts_held():
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                raise
            if pid == 0:                       # the child: never returns into the caller
                try:
                    os.close(read_end)
                    _become_worker(parent, nice, session)
                    _send(write_end, _call(fn, args))
                finally:
                    _flush_quietly()
                    os._exit(0)
            os.close(write_end)
            self.pid, self._fd = pid, read_end
            _LIVE[pid] = self

    def result(self):
        """Wait for the child; its return value, or its exception raised here."""
        if self._outcome is None:
            data = _read_all(self._fd)
            status = self._reap()
            self._outcome = _loads(data) if data else ("error", self._died(status), "")
        kind, value, *trace = self._outcome
        if kind == "ok":
            return value
        if isinstance(value, BuildError) or not trace or not trace[0]:
            raise value
        raise value from WorkerTraceback(trace[0])

    def done(self) -> bool:
        """Whether `result()` would return at once (the child has sent its message, or ended)."""
        return self._outcome is not None or bool(select.select([self._fd], [], [], 0)[0])

    def fileno(self) -> int:
        """The end of the pipe its message comes through (readable once it is done), for select()."""
        return self._fd

    def cancel(self) -> None:
        """Kill the child (if it still runs) and reap it; its result is no longer wanted."""
        if self.pid in _LIVE:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
        if self._outcome is None:
            self._outcome = ("error", RuntimeError(f"the {self.name} process was cancelled"), "")

    def _reap(self) -> int | None:
        _LIVE.pop(self.pid, None)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:            # already reaped
            return None

    def _died(self, status: int | None) -> BuildError:
        how = "unknown status"
        if status is not None and os.WIFSIGNALED(status):
            how = f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
        elif status is not None:
            how = f"exit code {os.WEXITSTATUS(status)}"
        return BuildError(self.source, f"the {self.name} process stopped unexpectedly ({how})", None,
                          "run `python -m scripts build` to see the error")


class Parallel:
    """`fn(item)` for every item, over `processes` workers that take items from one queue."""

    def __init__(self, fn, items, processes: int, name: str = "worker", nice: int = 0):
        self.size = len(items)
        read_end = _queue(self.size)
        self.workers: list[Worker] = []
        try:
            for _ in range(max(1, min(processes, self.size))):
                self.workers.append(Worker(_drain, fn, list(items), read_end, name=name, nice=nice))
        except BaseException:
            self.cancel()
            raise
        finally:
            os.close(read_end)

    def result(self) -> list:
        """Every item's result, in order; the first failure cancels the rest and is raised here."""
        out: list = [None] * self.size
        pending = list(self.workers)
        try:
            while pending:
                ready, _, _ = select.select(pending, [], [])     # whichever worker is done first
                for w in ready:
                    for i, value in w.result():
                        out[i] = value
                    pending.remove(w)
        except BaseException:
            self.cancel()
            raise
        return out

    def cancel(self) -> None:
        """Kill and reap every worker."""
        for w in self.workers:
            w.cancel()


def parallel(fn, items, processes: int, name: str = "worker", nice: int = 0) -> Parallel:
    """Start `fn(item)` for every item on `processes` workers (see `Parallel`)."""
    return Parallel(fn, items, processes, name, nice)


class Shared:
    """`fn(item)` for every item, in this process, taking items from one queue (as `Parallel`'s
    workers do); once `join()` returns true (asked before each item), one worker forked then takes
    items from the same queue beside it, with everything this process has loaded. For work that can
    use a core only once it is free: `join` says when."""

    def __init__(self, fn, items, join, name: str = "worker", nice: int = 0):
        self.fn, self.items, self.join, self.name, self.nice = fn, list(items), join, name, nice

    def result(self) -> list:
        """Every item's result, in order; a failure here or in the worker cancels the worker and is
        raised here."""
        out: list = [None] * len(self.items)
        read_end = _queue(len(self.items))
        helper, taken = None, 0
        try:
            while True:
                if helper is None and len(self.items) - taken > 1 and self.join():
                    helper = Worker(_drain, self.fn, self.items, read_end, name=self.name, nice=self.nice)
                job = os.read(read_end, _JOB)
                if not job:
                    break
                i = int.from_bytes(job, "little")
                taken += 1
                out[i] = self.fn(self.items[i])
            if helper is not None:
                for i, value in helper.result():
                    out[i] = value
        except BaseException:
            if helper is not None:
                helper.cancel()
            raise
        finally:
            os.close(read_end)
        return out


class Flag:
    """A one-shot signal from this process to a worker it forks after making the flag: `set()` here,
    `is_set()` there (it never waits). A pipe: the worker sees its read end become readable."""

    def __init__(self):
        self._read, self._write = os.pipe()
        self._maker = os.getpid()

    def set(self) -> None:
        """Raise the flag (once; later calls, or a reader already gone, change nothing)."""
        if self._write is not None:
            try:
                os.write(self._write, b"!")
            except OSError:
                pass
            self.close()

    def is_set(self) -> bool:
        """Whether the flag has been raised (in the worker, whose first look closes the write end
        it inherited)."""
        if os.getpid() != self._maker:
            self.close()
        return self._read is not None and bool(select.select([self._read], [], [], 0)[0])

    def forked(self) -> None:
        """In the process that made the flag, once the worker that reads it is forked: its read end
        is the worker's alone."""
        if self._read is not None:
            os.close(self._read)
            self._read = None

    def close(self) -> None:
        """This process's write end closed (the flag can no longer be raised from here)."""
        if self._write is not None:
            os.close(self._write)
            self._write = None


def cancel_all() -> None:
    """Kill and reap every worker this process still has (run at exit, Ctrl-C included)."""
    for worker in list(_LIVE.values()):
        worker.cancel()


atexit.register(cancel_all)


# ------------------------------------------------------------------ the child's side

def _become_worker(parent: int, nice: int, session: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent()
    if os.getppid() != parent:                # the parent died before the line above took effect
        os._exit(1)
    for other in list(_LIVE.values()):        # the parent's other workers are not this one's
        if other._fd is not None:
            os.close(other._fd)
    _LIVE.clear()
    if session:
        os.setsid()
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass


def _flush_quietly() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:                      # noqa: BLE001 — a closed or broken stream: nothing to keep
            pass


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def resolve(fn):
    """`fn` itself, or the function a "module:function" string names (its module imported)."""
    if not isinstance(fn, str):
        return fn
    import importlib
    module, _, name = fn.partition(":")
    return getattr(importlib.import_module(module), name)


def _call(fn, args) -> tuple:
    try:
        return ("ok", resolve(fn)(*args))
    except BaseException as exc:               # noqa: BLE001 — every failure goes back to the parent
        return ("error", exc, traceback.format_exc())


def _send(fd: int, message: tuple) -> None:
    try:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        if message[0] == "error":
            pickle.loads(data)                 # some exceptions pickle but cannot be rebuilt
    except Exception as exc:                   # a result or an exception that cannot cross
        data = pickle.dumps(("error", RuntimeError(f"{message[1]!r} could not be sent back: {exc}"),
                             message[2] if len(message) > 2 else ""))
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except OSError:                            # the parent is gone or no longer listening
        pass


_MAX_ITEMS = 65536 // _JOB          # a queue's indices fit in a pipe's buffer: written before any read


def _queue(size: int) -> int:
    """The read end of a pipe holding the indices 0..size-1 (`_JOB` bytes each), its write end
    closed: whoever reads it sees the end of the queue once it is empty."""
    if size > _MAX_ITEMS:
        raise ValueError(f"at most {_MAX_ITEMS} items per run")
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(i.to_bytes(_JOB, "little") for i in range(size)))
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    return read_end


def _drain(fn, items: list, queue: int) -> list:
    parent = os.getppid()
    done = []
    while os.getppid() == parent:             # the lifeline where the kernel's is not available
        job = os.read(queue, _JOB)
        if not job:
            break
        i = int.from_bytes(job, "little")
        done.append((i, fn(items[i])))
    return done


# ------------------------------------------------------------------ the parent's side

def _loads(data: bytes) -> tuple:
    try:
        return pickle.loads(data)
    except Exception as exc:
        return ("error", RuntimeError(f"a worker's message could not be read: {exc!r}"), "")


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


@contextmanager
def _interrupts_held():
    """Hold Ctrl-C while forking and recording a worker, so that neither is half done; the child
    lets it go once it ignores it."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
