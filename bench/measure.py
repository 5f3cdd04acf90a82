#!/usr/bin/env python3
"""Time one command N times and append one result row (python3, stdlib only).

usage: measure.py --out RESULTS.tsv --group GROUP --tool LABEL
                  [--role ours|peer|floor] [--input NAME] [--runs N]
                  [--budget SECS] [--timeout SECS] [--cwd DIR] [--clean GLOB]...
                  [--ok CODES] [--note TEXT] -- COMMAND [ARG]...

The command is run once untimed under GNU time for its peak RSS (this is
also the warm-up run), then up to N times timed.  Every run is a plain
fork/exec (no shell unless COMMAND is one), with stdout to /dev/null and
stderr to a scratch file (its last line is shown on failure).

  wall time  time.perf_counter() around the child's whole life, from just
             before the spawn to just after wait4() returns (sub-microsecond
             resolution, unlike /usr/bin/time's 10 ms; and no wrapper
             process, whose own fork/exec would be added to every time).
  peak RSS   GNU time's %M from the first run: the ru_maxrss of the command
             as /usr/bin/time waits for it.  On Linux that is the largest
             resident set of the command or of any descendant it waited for,
             so for `sh -c 'a | b'` it is the biggest of sh, a and b (not
             their sum).  Why not this script's own wait4(): Linux carries a
             process's RSS high-water mark across execve(), so a command
             spawned straight from Python would inherit the interpreter's
             ~15 MiB.  GNU time is a small C program that forks the command
             afresh.  Without /usr/bin/time the largest wait4() value of the
             timed runs is used and the row says it is an upper bound.

The row reports the median wall time of the timed runs.  --runs (default:
$BENCH_RUNS or 5) is an upper bound: once the runs so far (the RSS run
included) have taken more than --budget seconds (default: $BENCH_BUDGET or
60), no further run is started, so one very slow peer cannot hold the
benchmark for an hour; at least one timed run is always made, and the row
says how many there were.  A run that exits with a status outside --ok
(default 0) or exceeds --timeout (default: $BENCH_TIMEOUT or 600 s) makes the
row a failure, with the last line of the command's stderr as the reason.

Row (tab-separated): group, tool, role, input, status, median_s, min_s,
max_s, max_rss_kib, runs, command, note.
"""

import argparse
import glob
import os
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time


GNU_TIME = "/usr/bin/time"


def have_gnu_time():
    """True if /usr/bin/time is GNU time (it has -f and -o)."""
    if not os.access(GNU_TIME, os.X_OK):
        return False
    with tempfile.NamedTemporaryFile() as t:
        r = subprocess.run([GNU_TIME, "-f", "%M", "-o", t.name, "true"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            return r.returncode == 0 and int(open(t.name).read().split()[-1]) >= 0
        except (ValueError, IndexError):
            return False


def run_once(cmd, cwd, timeout, errfile, rssfile):
    """Run cmd once; return (seconds, maxrss_kib, exit status or None on timeout).

    With rssfile, cmd runs under GNU time, which writes the peak RSS there.
    """
    errfile.seek(0)
    errfile.truncate()
    if rssfile:
        cmd = [GNU_TIME, "-f", "%M", "-o", rssfile, "--"] + cmd
    timed_out = []
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=errfile,
                            start_new_session=True)

    def kill():
        # its own session, so this reaches a pipeline's children too
        timed_out.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    # wait4 instead of proc.wait(): we want this child's own rusage
    _, status, ru = os.wait4(proc.pid, 0)
    t1 = time.perf_counter()
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen quiet
    kib = ru.ru_maxrss
    if rssfile:
        # GNU time writes "Command exited with non-zero status N" first
        # when the command fails; the number is always the last word
        try:
            with open(rssfile) as f:
                kib = int(f.read().split()[-1])
        except (OSError, ValueError, IndexError):
            kib = 0
    if timed_out:
        return t1 - t0, kib, None
    return t1 - t0, kib, proc.returncode


def last_line(f):
    f.seek(0)
    lines = [ln.strip() for ln in f.read().decode(errors="replace").splitlines()]
    # fwupdtool draws progress bars on stderr; skip them
    lines = [ln for ln in lines if ln and not ln.startswith(("Loading", "Idle", "Decompressing"))]
    return lines[-1][:160] if lines else ""


def main():
    env = os.environ
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--tool", required=True)
    ap.add_argument("--role", default="peer", choices=("ours", "peer", "floor"))
    ap.add_argument("--input", default="")
    ap.add_argument("--runs", type=int, default=int(env.get("BENCH_RUNS", "5")))
    ap.add_argument("--budget", type=float, default=float(env.get("BENCH_BUDGET", "60")))
    ap.add_argument("--timeout", type=float, default=float(env.get("BENCH_TIMEOUT", "600")))
    ap.add_argument("--cwd", default=None)
    ap.add_argument("--clean", action="append", default=[],
                    help="delete the files matching this glob (relative to --cwd) before each run")
    ap.add_argument("--ok", default="0", help="comma-separated exit statuses that count as success")
    ap.add_argument("--note", default="")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd:
        ap.error("no command")
    ok = {int(x) for x in a.ok.split(",") if x}

    times, rss, status, note = [], 0, "ok", a.note
    rssfile = None
    if have_gnu_time():
        fd, rssfile = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
    else:
        note = "RSS is an upper bound (no GNU /usr/bin/time)" + ("; " + note if note else "")

    with tempfile.TemporaryFile() as err:
        spent = 0.0
        # run 0 is the RSS run (under GNU time, untimed); the rest are timed
        for i in range(max(1, a.runs) + (1 if rssfile else 0)):
            rss_run = bool(rssfile) and i == 0
            for pat in a.clean:   # e.g. the previous run's output: every run starts clean
                for path in glob.glob(os.path.join(a.cwd or ".", pat)):
                    os.unlink(path)
            secs, kib, rc = run_once(cmd, a.cwd, a.timeout, err,
                                     rssfile if rss_run else None)
            spent += secs
            if rss_run or not rssfile:
                rss = max(rss, kib)
            if rc is None:
                status = "timeout"
                note = ("timed out after %gs" % a.timeout) + ("; " + note if note else "")
                break
            if rc not in ok:
                status = "fail"
                why = last_line(err)
                note = ("exit %d: %s" % (rc, why)) + ("; " + note if note else "")
                break
            if not rss_run:
                times.append(secs)
                if spent > a.budget:
                    break

    if rssfile:
        os.unlink(rssfile)

    def fmt(x):
        return "%.6f" % x

    row = [a.group, a.tool, a.role, a.input, status,
           fmt(statistics.median(times)) if times else "",
           fmt(min(times)) if times else "", fmt(max(times)) if times else "",
           str(rss), str(len(times)),
           ("cd %s && " % shlex.quote(a.cwd) if a.cwd else "") + shlex.join(cmd), note]
    row = [c.replace("\t", " ").replace("\n", " ") for c in row]
    with open(a.out, "a") as f:
        f.write("\t".join(row) + "\n")

    # one progress line for the person watching
    shown = ("%8.4f s" % statistics.median(times)) if times else ("%10s" % status)
    print("  %-34.34s %-30.30s %s  %7.1f MiB  (%d run%s)" %
          (a.group, a.tool, shown, rss / 1024.0, len(times), "" if len(times) == 1 else "s"),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
