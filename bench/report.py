#!/usr/bin/env python3
"""Turn the rows of measure.py into the markdown report (python3, stdlib only).

usage: report.py --results RESULTS.tsv --inputs INPUTS.txt
                 [--dfusetool PATH] [--info FILE] > report.md

One table per benchmark group, in the order the groups were measured, then a
summary that checks the targets:

  (a) speed   every dfusetool command is >= 10x faster than the fastest peer
              that did the job (peer median / our median >= 10)
  (b) floor   dump is within 1.5x of `cat FILE | sha256sum`
              (our median / floor median <= 1.5)
  (c) memory  peak RSS <= 1.2x the image's data size (payload bytes)

Thresholds can be changed with BENCH_SPEEDUP, BENCH_FLOOR, BENCH_RSS.
Every target is reported as PASS or MISS; nothing here fails the run.

The outputs each build command left behind (recorded by run.sh in the
`output` note) are described: their size, and for DfuSe files what
`dfusetool dump --json` says (elements, addresses, USB IDs, problems), so
a reader can see which peers did the same job and which did something else.
"""

import argparse
import json
import os
import subprocess
import sys

SPEEDUP = float(os.environ.get("BENCH_SPEEDUP", "10"))
FLOOR = float(os.environ.get("BENCH_FLOOR", "1.5"))
RSSX = float(os.environ.get("BENCH_RSS", "1.2"))

FIELDS = ("group", "tool", "role", "input", "status", "median", "min", "max",
          "rss", "runs", "cmd", "note")


def load_rows(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (len(FIELDS) - len(parts))
            r = dict(zip(FIELDS, parts))
            r["median"] = float(r["median"]) if r["median"] else None
            r["rss"] = int(r["rss"]) if r["rss"] else 0
            r["runs"] = int(r["runs"]) if r["runs"] else 0
            rows.append(r)
    return rows


def load_inputs(path):
    out = {}
    with open(path) as f:
        for line in f:
            name, size, start, desc = line.rstrip("\n").split("\t", 3)
            out[name] = (int(size), desc, int(start, 0))
    return out


def mib(n):
    return n / 1048576.0


def split_note(note):
    """run.sh puts 'output=PATH' first in the note; split it off."""
    out = None
    rest = []
    for part in note.split("; "):
        if part.startswith("output="):
            out = part[len("output="):]
        elif part:
            rest.append(part)
    return out, "; ".join(rest)


def describe_output(path, tool, data, start):
    """One line about a file a build command wrote.

    data and start are the input's payload size and lowest address: output
    bytes beyond the payload are gap fill (or padding), and a DfuSe file
    whose first element is not at start has lost the load address.
    """
    if not path or not os.path.exists(path):
        return "no output file"
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(5)
    if head != b"DfuSe" or not tool:
        alloc = os.stat(path).st_blocks * 512
        sparse = " (sparse: %s allocated)" % human(alloc) if alloc < size // 2 else ""
        fill = ""
        if data and size > data:
            fill = ", %s of it gap fill (%.0f%%)" % (human(size - data), 100.0 * (size - data) / size)
        return "%s flat binary%s%s" % (human(size), sparse, fill)
    r = subprocess.run([tool, "dump", "--json", path], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    try:
        d = json.loads(r.stdout)
    except ValueError:
        return "%s DfuSe (dump --json failed)" % human(size)
    els = [e for t in d.get("targets", []) for e in t.get("elements", [])]
    s = d.get("suffix", {})
    txt = "%s DfuSe, %d target%s, %d element%s" % (
        human(size), len(d.get("targets", [])), "" if len(d.get("targets", [])) == 1 else "s",
        len(els), "" if len(els) == 1 else "s")
    if els:
        lo = min(e["address"] for e in els)
        hi = max(e["address"] + e["size"] for e in els)
        txt += " 0x%08x-0x%08x" % (lo, hi - 1)
        total = sum(e["size"] for e in els)
        txt += ", %s of data" % human(total)
        if data and total > data:
            txt += " (%s of it fill)" % human(total - data)
        if start is not None and lo != start:
            txt += ", **starts at 0x%08x, not 0x%08x**" % (lo, start)
    if s:
        txt += ", USB %04x:%04x" % (s.get("idVendor", 0), s.get("idProduct", 0))
    diags = d.get("diagnostics", [])
    if diags:
        first = diags[0]
        msg = first.get("message", first) if isinstance(first, dict) else first
        msg = str(msg)
        if len(msg) > 120:
            msg = msg[:117].rsplit(" ", 1)[0] + " …"
        txt += ", dump: %d problem%s (%s)" % (len(diags), "" if len(diags) == 1 else "s", msg)
    return txt


def cell(text):
    """Text safe inside a markdown table cell."""
    return str(text).replace("|", "\\|")


def human(n):
    if n >= 1 << 20:
        return "%.2f MiB" % mib(n)
    if n >= 1 << 10:
        return "%.1f KiB" % (n / 1024.0)
    return "%d B" % n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--dfusetool", default=None)
    ap.add_argument("--info", default=None, help="environment notes to print first")
    a = ap.parse_args()
    rows = load_rows(a.results)
    inputs = load_inputs(a.inputs)

    out = []
    w = out.append
    w("# dfusetool benchmark report\n")
    if a.info and os.path.exists(a.info):
        with open(a.info) as f:
            w(f.read().rstrip() + "\n")
    w("Times are the median wall time of the runs made (warm page cache); "
      "`peer ÷ ours` is the peer's median divided by dfusetool's: "
      "**above 1 means dfusetool is faster**. Peak RSS is the child's "
      "ru_maxrss (for a shell pipeline: its biggest process). "
      "`RSS ÷ data` divides by the image's payload bytes.\n")

    # group "baseline": what merely starting a process costs on this machine
    baseline = None
    groups = []
    for r in rows:
        if r["group"] == "baseline":
            if r["status"] == "ok":
                w("- baseline `%s`: %.4f s, %.1f MiB peak RSS" %
                  (r["cmd"].split("/")[-1], r["median"], mib(r["rss"] * 1024)))
                if r["role"] == "ours":
                    baseline = r
            continue
        if r["group"] not in groups:
            groups.append(r["group"])
    w("\nThe baselines are the price of starting a process here: every row pays "
      "at least the first, every dfusetool row the second. On small inputs "
      "they are most of the time measured, which caps the ratios any tool "
      "can show.\n")

    summary = []
    for g in groups:
        grows = [r for r in rows if r["group"] == g]
        ours = [r for r in grows if r["role"] == "ours"]
        ref = next((r for r in ours if r["status"] == "ok"), None)
        name = grows[0]["input"]
        data, desc, start = inputs.get(name, (0, "", None))
        w("## %s\n" % g)
        if data:
            w("Input: %s — %s of data (%d bytes).\n" % (desc, human(data), data))
        w("| tool | median s | peer ÷ ours | peak RSS MiB | RSS ÷ data | runs | result |")
        w("|---|---:|---:|---:|---:|---:|---|")
        for r in grows:
            label = "**%s**" % cell(r["tool"]) if r["role"] == "ours" else cell(r["tool"])
            if r["status"] != "ok":
                outpath, note = split_note(r["note"])
                kind = {"skip": "skipped", "fail": "FAILED", "timeout": "TIMEOUT"}.get(
                    r["status"], r["status"])
                rss = "%.1f" % mib(r["rss"] * 1024) if r["rss"] else "–"
                w("| %s | – | – | %s | – | %d | %s: %s |" % (label, rss, r["runs"], kind, cell(note)))
                continue
            if ref and r is ref:
                ratio = "1.00 (ref)"
            elif ref:
                ratio = "%.2f" % (r["median"] / ref["median"])
            else:
                ratio = "–"
            rss_mib = mib(r["rss"] * 1024)
            per = ("%.2f" % (r["rss"] * 1024.0 / data)) if data else "–"
            outpath, note = split_note(r["note"])
            res = describe_output(outpath, a.dfusetool, data, start) if outpath else ""
            if note:
                res = (res + "; " if res else "") + note
            w("| %s | %.4f | %s | %.1f | %s | %d | %s |" %
              (label, r["median"], ratio, rss_mib, per, r["runs"], cell(res)))
        w("")
        w("Commands:\n")
        for r in grows:
            w("- %s: `%s`" % (r["tool"], r["cmd"]))
        w("")

        # ---- targets for this group ----
        peers = [r for r in grows if r["role"] == "peer" and r["status"] == "ok"]
        floor = next((r for r in grows if r["role"] == "floor" and r["status"] == "ok"), None)
        fastest = min(peers, key=lambda r: r["median"]) if peers else None
        for o in ours:
            if o["status"] != "ok":
                summary.append((g, o["tool"], None, None, None, None, None, "our command failed"))
                continue
            sp = fastest["median"] / o["median"] if fastest else None
            fl = o["median"] / floor["median"] if floor else None
            rx = (o["rss"] * 1024.0 / data) if data else None
            adj = None
            if data and baseline:
                adj = max(0, o["rss"] - baseline["rss"]) * 1024.0 / data
            summary.append((g, o["tool"], sp, fastest["tool"] if fastest else None, fl, rx, adj, ""))

    # ---- summary ----
    w("## Targets\n")
    w("(a) dfusetool ≥ %gx faster than the fastest peer that worked; "
      "(b) dump within %gx of `cat | sha256sum`; "
      "(c) peak RSS ≤ %gx the image's data size. The last column subtracts "
      "the process baseline above from the RSS, for context only.\n" % (SPEEDUP, FLOOR, RSSX))
    w("| benchmark | dfusetool | (a) fastest peer ÷ ours | (a) | (b) ours ÷ floor | (b) | "
      "(c) RSS ÷ data | (c) | (RSS − baseline) ÷ data |")
    w("|---|---|---:|:-:|---:|:-:|---:|:-:|---:|")
    tally = {"PASS": 0, "MISS": 0}

    def verdict(ok):
        v = "PASS" if ok else "MISS"
        tally[v] += 1
        return v

    for g, tool, sp, fastest, fl, rx, adj, why in summary:
        if why:
            w("| %s | %s | – | MISS | – | – | – | – | – |" % (g, tool))
            tally["MISS"] += 1
            continue
        a_txt = ("%.1fx (%s)" % (sp, cell(fastest))) if sp is not None else "no peer ran"
        a_v = verdict(sp >= SPEEDUP) if sp is not None else "n/a"
        b_txt = ("%.2fx" % fl) if fl is not None else "–"
        b_v = verdict(fl <= FLOOR) if fl is not None else "n/a"
        c_txt = ("%.2f" % rx) if rx is not None else "–"
        c_v = verdict(rx <= RSSX) if rx is not None else "n/a"
        adj_txt = ("%.2f" % adj) if adj is not None else "–"
        w("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" %
          (g, tool, a_txt, a_v, b_txt, b_v, c_txt, c_v, adj_txt))
    w("\nTotal: %d PASS, %d MISS (a report, not a test: the exit status is 0 either way).\n"
      % (tally["PASS"], tally["MISS"]))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
