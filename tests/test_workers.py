"""scripts/workers.py: one message per worker (its result or its exception), and no worker outlives
the process that started it — whether that process returns, fails, exits, is interrupted or killed."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scripts import workers
from scripts.errors import BuildError

ROOT = Path(__file__).resolve().parent.parent


def children(pid: int) -> set[int]:
    """Live (not zombie) descendants of `pid`, read from /proc."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_dead(pids, timeout: float = 2.0) -> set[int]:
    end = time.monotonic() + timeout
    while True:
        left = {p for p in pids if alive(p)}
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.02)


def _fail_build():
    raise BuildError("data/x.yml", "bad value", 3, "fix it")


def _fail_other():
    return {}["missing"]


def _item(x):
    if x == "boom":
        raise ValueError("item boom")
    if x == "sleep":
        time.sleep(60)
    return x * 2


def test_a_result_comes_back():
    assert workers.Worker(sum, [1, 2, 3]).result() == 6
    assert workers.parallel(_item, list(range(40)), processes=3).result() == [x * 2 for x in range(40)]
    assert workers._LIVE == {} and children(os.getpid()) == set()


def _with_pid(x):
    time.sleep(0.02)
    return _item(x), os.getpid()


def test_shared_work_is_done_here_until_a_helper_may_join():
    """`Shared`: every item's result in order; no worker while `join()` is false; once it is true,
    one worker forked then takes items from the same queue, and none is left afterwards."""
    items = list(range(30))
    alone = workers.Shared(_with_pid, items, lambda: False).result()
    assert [r for r, _ in alone] == [x * 2 for x in items] and {p for _, p in alone} == {os.getpid()}
    asked = []
    def join():                                  # true from the fourth item on
        asked.append(1)
        return len(asked) > 3
    helped = workers.Shared(_with_pid, items, join).result()
    assert [r for r, _ in helped] == [x * 2 for x in items]
    pids = {p for _, p in helped}
    assert os.getpid() in pids and len(pids) == 2        # this process and one helper
    assert all(p == os.getpid() for _, p in helped[:3])  # the first three were taken before it joined
    assert len(asked) == 4                               # not asked again once it has joined
    assert workers._LIVE == {} and children(os.getpid()) == set()


def test_shared_work_raises_a_failure_from_either_side_and_leaves_no_helper():
    for items in (["boom"] + list(range(20)), list(range(20)) + ["boom"]):
        with pytest.raises(ValueError, match="item boom"):
            workers.Shared(_with_pid, items, lambda: True).result()
        assert workers._LIVE == {} and children(os.getpid()) == set()


def _wait_for(flag):
    before = flag.is_set()
    deadline = time.monotonic() + 20
    while not flag.is_set() and time.monotonic() < deadline:
        time.sleep(0.01)
    return before, flag.is_set()


def test_a_flag_raised_here_is_seen_by_the_worker_forked_after_it():
    flag = workers.Flag()
    w = workers.Worker(_wait_for, flag)
    flag.forked()
    time.sleep(0.2)
    flag.set()
    flag.set()                                   # once is enough; again changes nothing
    assert w.result() == (False, True)
    assert flag._read is None and flag._write is None     # this process holds no end of it now


def test_a_build_error_comes_back_as_the_same_one_line_error():
    with pytest.raises(BuildError) as caught:
        workers.Worker(_fail_build).result()
    assert str(caught.value) == "data/x.yml:3: bad value — fix it"
    assert caught.value.__cause__ is None


def test_any_other_exception_comes_back_with_the_childs_traceback():
    with pytest.raises(KeyError) as caught:
        workers.Worker(_fail_other).result()
    assert isinstance(caught.value.__cause__, workers.WorkerTraceback)
    assert "_fail_other" in str(caught.value.__cause__)


def test_one_failing_item_stops_the_others():
    job = workers.parallel(_item, ["sleep", "boom", 1], processes=3)
    start = time.monotonic()
    pids = [w.pid for w in job.workers]
    with pytest.raises(ValueError, match="item boom"):
        job.result()
    assert time.monotonic() - start < 5
    assert wait_dead(pids) == set() and workers._LIVE == {}


def test_a_worker_killed_from_outside_is_a_one_line_error():
    w = workers.Worker(time.sleep, 60, name="sleeper")
    os.kill(w.pid, signal.SIGKILL)
    with pytest.raises(BuildError, match=r"the sleeper process stopped unexpectedly \(killed by SIGKILL\)"):
        w.result()


def test_cancel_kills_and_reaps():
    w = workers.Worker(time.sleep, 60)
    w.cancel()
    assert not alive(w.pid) and workers._LIVE == {}
    with pytest.raises(RuntimeError, match="cancelled"):
        w.result()


def test_a_worker_ignores_ctrl_c_and_dies_of_sigterm():
    w = workers.Worker(time.sleep, 3)
    time.sleep(0.3)
    os.kill(w.pid, signal.SIGINT)             # Ctrl-C is the parent's to handle
    time.sleep(0.2)
    assert alive(w.pid)
    os.kill(w.pid, signal.SIGTERM)
    with pytest.raises(BuildError, match="killed by SIGTERM"):
        w.result()


PARENT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from scripts import workers

    def drawing():                                   # a worker with workers of its own
        return workers.parallel(time.sleep, [60, 60], 2).result()

    nested = workers.Worker(drawing, session=True)       # as the figure drawing runs
    plain = workers.Worker(time.sleep, 60)
    time.sleep(0.5)
    print("ready", flush=True)
    sys.stdin.readline()
    {then}
""")


@pytest.mark.parametrize("then, how", [
    ("", signal.SIGKILL),
    ("", signal.SIGTERM),
    ("", signal.SIGINT),                     # KeyboardInterrupt: the parent exits through atexit
    ("raise SystemExit(3)", None),           # exits on its own, its workers still running
], ids=["parent-killed", "parent-terminated", "parent-interrupted", "parent-exits"])
def test_workers_die_with_their_parent(then, how):
    parent = subprocess.Popen([sys.executable, "-c", PARENT.format(root=str(ROOT), then=then)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert parent.stdout.readline().strip() == "ready"
    descendants = children(parent.pid)
    assert len(descendants) == 4              # nested, its two workers, plain
    if how is not None:
        parent.send_signal(how)
    else:
        parent.stdin.write("go\n")
        parent.stdin.flush()
    parent.wait(2)
    assert wait_dead(descendants) == set()


def test_a_worker_says_whether_its_result_would_wait():
    """`done()`: false while the child works, true once its message is sent (the pipeline hook
    places the figures at on_env only if the drawing would not keep MkDocs waiting)."""
    slow = workers.Worker(time.sleep, 0.5)
    assert not slow.done()
    deadline = time.monotonic() + 10
    while not slow.done() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert slow.done() and slow.result() is None and slow.done()
    failed = workers.Worker(int, "x")
    failed.cancel()
    assert failed.done()


def _project_data(tmp_path, monkeypatch):
    """A project holding data/ only, and no drawing in this process's memory (which the drawing
    process inherits): every figure is missing."""
    from scripts.cache import Cache
    from scripts.paths import Paths
    monkeypatch.setattr(Cache.memory, "svgs", {})
    paths = Paths(tmp_path)
    shutil.copytree(ROOT / "data", paths.data)
    return paths


@pytest.mark.parametrize("cores, helped", [(2, False), (2, True), (4, False)])
def test_the_drawing_process_draws_every_figure_as_in_process(tmp_path, monkeypatch, cores, helped):
    """`background.Drawing` (what `mkdocs build` starts first): a process of its own imports the
    drawing code, reads the figure data, finds what the cache lacks and draws it, alone on two cores
    (the build holds the other), with workers of its own on more: the same SVG bytes by the same
    paths as drawing here, every figure, cached by it, and no process left behind; started again, it
    finds nothing to draw; on one core the drawing is made at result(), here. It writes each drawing
    into docs/ itself and reports its path and digest, not its bytes. On two cores, told that
    the other core is free (`core_free`), it shares the rest with a helper: the same bytes."""
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    from scripts import background, figure_pages
    from scripts import figures as F
    from scripts.annotate.words import names_pattern
    from scripts.figures import hant
    paths = _project_data(tmp_path, monkeypatch)
    datasets, events = figure_pages.load(paths.data)
    drawing = background.Drawing(paths)
    assert isinstance(drawing.job, workers.Worker) and drawing.job.source == "scripts/figure_pages.py"
    assert (drawing.free is not None) == (cores == 2)     # on two cores, helped once a core is free
    if helped:
        drawing.core_free()
    reported = drawing.result()
    assert all(isinstance(d, background.Drawn) for d in reported)
    drawn = {d.rel: (paths.docs / d.rel).read_bytes() for d in reported}
    assert len(drawn) == len(reported)
    from scripts.cache import sha
    assert all(d.digest == sha(drawn[d.rel]) for d in reported)
    # wide and narrow, each in Simplified and in the two Traditional standards
    assert len(drawn) == 3 * 2 * (len(datasets) + 1)
    assert drawn[f"assets/figures/{datasets[0].id}.svg"] == F.render_svg(datasets[0])
    assert drawn[f"assets/figures/narrow/{datasets[0].id}.svg"] == F.render_narrow_svg(datasets[0])
    assert drawn["assets/figures/timeline.svg"] == F.render_timeline_svg(events)
    assert drawn["assets/figures/narrow/timeline.svg"] == F.render_narrow_timeline_svg(events)
    # the Traditional variants convert the who's who names by character, as the build's do
    names_re = names_pattern(figure_pages.names(paths.data))
    assert drawn[f"assets/figures/tw/{datasets[0].id}.svg"] == \
        hant.variant(F.render_svg(datasets[0]).decode(), "tw", names_re).encode()
    # the first chart's drawings are made by the drawing process before it forks; the rest by its workers
    assert drawn[f"assets/figures/{datasets[-1].id}.svg"] == F.render_svg(datasets[-1])
    assert drawn[f"assets/figures/hk/narrow/{datasets[-1].id}.svg"] == \
        hant.variant(F.render_narrow_svg(datasets[-1]).decode(), "hk", names_re).encode()
    assert workers._LIVE == {} and children(os.getpid()) == set()
    # the drawing process cached what it drew (beside the build): the cache holds the very bytes
    assert len(list(drawing.cache_dir.glob("*.svg"))) == len(drawn)
    for rels, _, sources in figure_pages._jobs(datasets, events, figure_pages.names(paths.data)):
        for rel, source in zip(rels, sources):
            assert (drawing.cache_dir / f"{figure_pages._svg_key(source)}.svg").read_bytes() == drawn[rel]
    assert background.Drawing(paths).result() == []
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    one = background.Drawing(paths)
    assert one.job is None and one.done() and one.result() == []


@pytest.mark.parametrize("cores", [3, 2])
def test_stopping_the_drawing_process_stops_its_workers(tmp_path, monkeypatch, cores):
    """On three cores the drawing forks two workers; on two, told that a core is free, one helper:
    cancelling the drawing stops them all at once."""
    from scripts import background
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    drawing = background.Drawing(_project_data(tmp_path, monkeypatch))
    if cores == 2:
        drawing.core_free()
    deadline = time.monotonic() + 30          # matplotlib loaded, the first drawings made, workers forked
    while len(children(os.getpid())) < cores and time.monotonic() < deadline:
        time.sleep(0.05)
    running = children(os.getpid())
    assert len(running) >= 2                  # the drawing process and its workers (or its helper)
    start = time.perf_counter()
    drawing.cancel()
    assert time.perf_counter() - start < 1
    assert wait_dead(running) == set() and workers._LIVE == {}
    assert list(drawing.cache_dir.glob("*.svg")) == []


def test_importing_every_module_starts_nothing(tmp_path):
    """pytest imports every module under scripts/ for its doctests: none may start a process or a
    thread, or write a file, on import."""
    import shutil
    shutil.copytree(ROOT / "scripts", tmp_path / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    code = textwrap.dedent("""
        import os, pkgutil, importlib, threading, sys
        sys.path.insert(0, os.getcwd())
        import scripts
        names = [m.name for m in pkgutil.walk_packages(scripts.__path__, "scripts.")]
        for name in names:
            importlib.import_module(name)
        kids = [p for p in os.listdir("/proc") if p.isdigit()
                and open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1] == str(os.getpid())]
        print(len(names), threading.active_count(), len(kids))
    """)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = subprocess.run([sys.executable, "-B", "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    modules, threads, kids = map(int, out.stdout.split())
    assert modules >= 25 and threads == 1 and kids == 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
