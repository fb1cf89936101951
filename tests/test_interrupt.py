"""A build you can stop: Ctrl-C, SIGTERM or SIGKILL at any moment of a cold `mkdocs build` (and of
`mkdocs serve`) ends it within two seconds, leaves no process of it running, and the next build
gives the same site as one that was never interrupted."""
from __future__ import annotations

import filecmp
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import make_project

MKDOCS = str(Path(sys.executable).with_name("mkdocs"))
GRACE = 2.0                 # seconds a stopped build may take to be gone, workers included


def grace() -> float:
    """GRACE on a machine with a core free for the build; stretched in proportion where more runnable
    processes than cores share it (a shared CI box), since then every step of the way out — MkDocs'
    own included — takes that much longer. Measured when the signal is sent: the one-minute load
    average, or the processes runnable at this instant if more (the average lags a burst that has
    just begun, such as another test's build)."""
    try:
        running = int(Path("/proc/loadavg").read_text().split()[3].split("/")[0]) - 1   # less this test
    except (OSError, ValueError, IndexError):
        running = 0
    return GRACE * max(1.0, max(os.getloadavg()[0], running) / (os.cpu_count() or 1))
MOMENTS = (0.3, 1.0, 2.0)   # seconds after the start: loading, building pages, drawing figures


def _env() -> dict:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    return env


def _start(project: Path, *args: str) -> subprocess.Popen:
    # A session of its own, as a shell gives a foreground job: the build's process group is its pid.
    return subprocess.Popen([MKDOCS, *args], cwd=project, env=_env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def processes_of(project: Path) -> list[str]:
    """Live processes (zombies aside) whose working directory or command line is inside `project`."""
    found, root = [], str(project.resolve())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:                 # gone meanwhile, or not ours to read
            continue
        if state != "Z" and (cwd == root or cwd.startswith(root + "/") or root in cmdline):
            found.append(f"{entry.name} {state} {cmdline.strip()}")
    return found


def wait_gone(project: Path, timeout: float) -> list[str]:
    """Wait until no process of `project` is left; what is left after `timeout`."""
    end = time.monotonic() + timeout
    while True:
        left = processes_of(project)
        if not left or time.monotonic() > end:
            return left
        time.sleep(0.05)


def stop(proc: subprocess.Popen, project: Path, sig: int, group: bool) -> float:
    """Send `sig` (to the whole process group, as Ctrl-C in a terminal does, if `group`); assert the
    build and everything it started are gone within `grace()`; the seconds it took."""
    start, allowed = time.monotonic(), grace()
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        proc.wait(allowed)
    except subprocess.TimeoutExpired:
        left = processes_of(project)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{signal.Signals(sig).name}: the build did not exit within {allowed:.1f} s; running: {left}")
    left = wait_gone(project, start + allowed - time.monotonic())
    if left:
        for line in left:
            os.kill(int(line.split()[0]), signal.SIGKILL)
    assert left == [], f"{signal.Signals(sig).name}: processes left {time.monotonic() - start:.1f} s after the signal"
    return time.monotonic() - start


def build(project: Path) -> None:
    """`mkdocs build --strict` run to its end, as conftest builds the shared site."""
    result = subprocess.run([MKDOCS, "build", "--strict", "--quiet"], cwd=project, env=_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# The sitemap carries the day of the build (and its .gz the second): not part of what is compared.
DATED = {"sitemap.xml", "sitemap.xml.gz"}


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two trees (missing on either side included), dated files aside."""
    def walk(cmp: filecmp.dircmp, prefix: str) -> list[str]:
        out = [prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files]
        common = [n for n in cmp.common_files if not (prefix == "" and n in DATED)]
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, common, shallow=False)
        out += [prefix + n for n in mismatch + errors]
        for name, sub in cmp.subdirs.items():
            out += walk(sub, f"{prefix}{name}/")
        return out
    return walk(filecmp.dircmp(a, b, ignore=[]), "")


SIGNALS = [                          # (name, signal, to the whole process group)
    ("Ctrl-C", signal.SIGINT, True),    # as a terminal sends it: the build and its workers
    ("SIGINT", signal.SIGINT, False),   # kill -INT to the mkdocs process alone
    ("SIGTERM", signal.SIGTERM, False),
    ("SIGKILL", signal.SIGKILL, False), # the parent dies at once; its workers must follow
]


def test_a_stopped_cold_build_leaves_nothing_and_the_next_build_is_the_same(tmp_path, built_project):
    """Every signal at every moment, one after the other in one project (each start is cold: an
    interrupted build records nothing), then one build to the end, compared with the shared site."""
    project = make_project(tmp_path / "proj")
    for name, sig, group in SIGNALS:
        for moment in MOMENTS:
            proc = _start(project, "build", "--strict", "--quiet")
            time.sleep(moment)
            assert proc.poll() is None, f"the build ended before {moment} s: nothing to interrupt"
            stop(proc, project, sig, group)
            proc.stderr.close()
    assert not (project / ".cache" / "build" / "manifest.json").exists()
    build(project)
    assert differences(built_project / "site", project / "site") == []
    assert differences(built_project / "docs", project / "docs") == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(project: Path) -> subprocess.Popen:
    return _start(project, "serve", "--dev-addr", f"127.0.0.1:{_free_port()}", "--no-livereload")


def test_ctrl_c_and_sigterm_stop_serve_while_it_builds(tmp_path):
    project = make_project(tmp_path / "proj")
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = _serve(project)
        time.sleep(1.5)
        assert proc.poll() is None
        stop(proc, project, sig, group=sig == signal.SIGINT)
        proc.stderr.close()


def test_ctrl_c_stops_serve_once_it_serves(tmp_path):
    project = make_project(tmp_path / "proj")
    proc = _serve(project)
    end = time.monotonic() + 120
    log = b""
    while b"Serving on" not in log:
        line = proc.stderr.readline()
        assert line and time.monotonic() < end, f"mkdocs serve did not start serving:\n{log.decode()}"
        log += line
    stop(proc, project, signal.SIGINT, group=True)
    proc.stderr.close()
