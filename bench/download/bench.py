#!/usr/bin/env python3
"""bench/download: `dfusetool download` against dfu-util 0.11 and against
the physical floor, on the emulated H7 ROM bootloader (tests/usb/usbtest.c
--exec: the model behind real libusb through umockdev); and the board
reads: `dfusetool upload` of a range against `dfu-util -U` of the same
range, and `dfusetool verify` of the image against an upload of the
sectors it covers.

usage: bench.py BUILD_DIR            (make bench-download runs it)

Environment:
  BENCH_RUNS=N        timed runs per row, median reported (default 3)
  BENCH_POLL_MS="…"   bwPollTimeout values to run, one table each
                      (default "1 10")
  BENCH_HANG_S=S      how long dfu-util may poll the stuck bank-2 erase
                      before it is declared hung (default 20)

Writes BUILD_DIR/bench/download/report.md (also printed) and results.tsv.
Exit 0 once it has run: the numbers are a report, not a test; 1 when a
tool or the harness is missing.

The image is a realistic merged release: 320 KiB for the CM7 at
0x08000000 (3 sectors of bank 1) and 160 KiB for the CM4 at 0x08100000
(2 sectors of bank 2), the blinky sample's code padded with SHAKE-128
bytes.  The timings are the datasheet's typical figures (DS12110: a 128
KiB sector erase 1.1 s, a 32-byte flash word 130 us, so 4.2 ms per 1 KiB
block) scaled down 5x so that a run takes seconds: erase 220 ms, program
1 ms per block.  The bank-2 recovery deadline is the tool's real one (the
datasheet worst case, 4 s): it is not scaled.
"""
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time

SCALE = 5
ERASE_MS = 1100 // SCALE          # 220
PROGRAM_MS = 1                    # 4.2 ms / 5, rounded up to the model's ms
CM7_SIZE = 320 << 10
CM4_SIZE = 160 << 10
BLOCK = 1024                      # wTransferSize
SECTOR = 128 << 10


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def model_line(err):
    for line in reversed(err.splitlines()):
        if line.startswith('model:'):
            return dict(kv.split('=', 1) for kv in line.split()[1:])
    return None


class Bench:
    def __init__(self, build):
        self.build = os.path.abspath(build)
        self.root = os.path.dirname(os.path.dirname(
            os.path.dirname(os.path.abspath(__file__))))
        self.work = os.path.join(self.build, 'bench', 'download')
        self.usbtest = os.path.join(self.build, 'tests', 'usbtest')
        self.tool = os.path.join(self.work, 'dfusetool')
        self.runs = int(os.environ.get('BENCH_RUNS', '3'))
        self.hang_s = int(os.environ.get('BENCH_HANG_S', '20'))
        self.polls = [int(p) for p in
                      os.environ.get('BENCH_POLL_MS', '1 10').split()]
        self.rows = []

    # ---- inputs ----
    def setup(self):
        if not os.access(self.usbtest, os.X_OK):
            sys.exit('bench/download: %s not built (umockdev or libusb '
                     'missing; make usb-tests builds it)' % self.usbtest)
        if shutil.which('dfu-util') is None:
            sys.exit('bench/download: dfu-util is not installed '
                     '(apt-get install dfu-util)')
        os.makedirs(self.work, exist_ok=True)
        # a private copy, so that a rebuild meanwhile is not measured
        shutil.copy2(os.path.join(self.build, 'dfusetool'), self.tool)
        samples = os.path.join(self.root, 'samples', 'h745-blinky')
        for core, size in (('cm7', CM7_SIZE), ('cm4', CM4_SIZE)):
            code = open(os.path.join(samples, core + '.bin'), 'rb').read()
            fill = hashlib.shake_128(core.encode()).digest(size - len(code))
            with open(os.path.join(self.work, core + '.bin'), 'wb') as f:
                f.write(code + fill)
        self.img = os.path.join(self.work, 'img.dfu')
        sh([self.tool, 'build', '-q', '--force', '--cm7',
            os.path.join(self.work, 'cm7.bin'), '--cm4',
            os.path.join(self.work, 'cm4.bin'), '-o', self.img])
        # the flash a correct download leaves: 0xFF and the two images
        flash = bytearray(b'\xff' * (2 << 20))
        for core, at in (('cm7', 0), ('cm4', 1 << 20)):
            data = open(os.path.join(self.work, core + '.bin'), 'rb').read()
            flash[at:at + len(data)] = data
        self.expected = bytes(flash)
        self.full = os.path.join(self.work, 'flash-full.bin')
        with open(self.full, 'wb') as f:
            f.write(self.expected)
        # each image starts its bank and is one run
        self.sectors = sum(-(-size // SECTOR) for size in (CM7_SIZE, CM4_SIZE))
        self.blocks = (CM7_SIZE + CM4_SIZE) // BLOCK
        self.runs_n = 2

    # ---- one measurement ----
    def once(self, poll, cmd, bug=False, flash_in=None, timeout=None,
             fresh=(), check=None):
        """fresh: files removed before the run (an upload's output);
        check: a function that says whether what the run wrote is
        right, besides the flash."""
        out = os.path.join(self.work, 'flash-out.bin')
        for f in (out,) + tuple(fresh):
            if os.path.exists(f):
                os.unlink(f)
        args = [self.usbtest, '--exec', '--poll-ms', str(poll),
                '--erase-ms', str(ERASE_MS), '--program-ms',
                str(PROGRAM_MS), '--flash-out', out]
        if bug:
            args.append('--bank2-bug')
        if flash_in:
            args += ['--flash-in', flash_in]
        if timeout:
            # the harness stays alive so that the model's counts are told
            cmd = ['timeout', str(timeout)] + cmd
        t0 = time.perf_counter()
        p = subprocess.run(args + ['--'] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True,
                           cwd=self.work)
        wall = time.perf_counter() - t0
        m = model_line(p.stderr) or {}
        ok = (p.returncode == 0 and os.path.exists(out) and
              open(out, 'rb').read() == self.expected and
              (check is None or check()))
        return {'wall': wall, 'rc': p.returncode, 'ok': ok,
                'xfers': int(m.get('xfers', 0)),
                'erases': int(m.get('erases', 0)),
                'dnloads': int(m.get('dnloads', 0)),
                'uploads': int(m.get('uploads', 0)),
                'clrstatus': int(m.get('clrstatus', 0)),
                'err': p.stderr.strip().splitlines()[-2:]}

    def row(self, poll, name, cmd, runs=None, **kw):
        res = [self.once(poll, cmd, **kw) for _ in range(runs or self.runs)]
        r = dict(res[-1])
        r['wall'] = statistics.median(x['wall'] for x in res)
        r['ok'] = all(x['ok'] for x in res)
        r['n'] = len(res)
        r['name'] = name
        r['poll'] = poll
        self.rows.append(r)
        print('  %-44s %7.2f s  %5d transfers  %s' %
              (name, r['wall'], r['xfers'],
               'flash ok' if r['ok'] else 'FAILED rc=%d: %s' %
               (r['rc'], ' | '.join(r['err']))), flush=True)
        return r

    # ---- the harness's own cost per control transfer ----
    def calibrate(self):
        """dfu-util -U of 512 KiB with no busy time: seconds per transfer
        of this emulated bus (umockdev forwarding each ioctl)."""
        up = os.path.join(self.work, 'upload.bin')
        cmd = ['dfu-util', '-a', '0', '-s', '0x08000000:524288', '-U', up]
        walls = []
        for _ in range(3):
            if os.path.exists(up):
                os.unlink(up)
            t0 = time.perf_counter()
            p = subprocess.run([self.usbtest, '--exec', '--', *cmd],
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True,
                               cwd=self.work)
            walls.append(time.perf_counter() - t0)
            m = model_line(p.stderr) or {}
        xfers = int(m.get('xfers', 1))
        # the harness's fixed start-up: usbtest running `true`
        t0 = time.perf_counter()
        subprocess.run([self.usbtest, '--exec', '--', 'true'],
                       stderr=subprocess.DEVNULL)
        base = time.perf_counter() - t0
        self.start_s = base
        self.xfer_s = max(statistics.median(walls) - base, 0) / xfers
        return xfers

    def floors(self, poll):
        """physical: the device's busy time plus the fewest transfers a
        download needs (per sector: erase DNLOAD + 2 GETSTATUS; per run:
        SET_ADDRESS + 2 GETSTATUS; per block: DNLOAD + 2 GETSTATUS), each
        at this bus's measured cost, plus the harness's start-up.
        protocol: the same, but every busy operation waits at least the
        device's bwPollTimeout, which DFU 1.1 obliges a host to honour."""
        xfers = 3 * self.sectors + 3 * self.runs_n + 3 * self.blocks
        busy = self.sectors * ERASE_MS + self.blocks * PROGRAM_MS
        proto = (self.sectors * max(ERASE_MS, poll) +
                 self.blocks * max(PROGRAM_MS, poll) +
                 self.runs_n * poll)
        usb = xfers * self.xfer_s + self.start_s
        return busy / 1000 + usb, proto / 1000 + usb, xfers

    def run(self):
        self.setup()
        calib = self.calibrate()
        print('bus: %.0f us per control transfer (dfu-util -U, %d '
              'transfers), %.0f ms harness start-up' %
              (self.xfer_s * 1e6, calib, self.start_s * 1000), flush=True)
        for poll in self.polls:
            print('bwPollTimeout %d ms:' % poll, flush=True)
            ours = self.row(poll, 'dfusetool download',
                            [self.tool, 'download', '-q', self.img])
            self.row(poll, 'dfu-util -a 0 -D',
                     ['dfu-util', '-a', '0', '-D', self.img])
            self.row(poll, 'dfusetool download --verify',
                     [self.tool, 'download', '-q', '--verify', self.img])
            self.row(poll, 'dfusetool download --incremental (unchanged)',
                     [self.tool, 'download', '-q', '--incremental',
                      self.img], flash_in=self.full)
            self.row(poll, 'dfusetool download, bank-2 bug on',
                     [self.tool, 'download', '-q', self.img], bug=True)
            self.row(poll, 'dfu-util -a 0 -D, bank-2 bug on',
                     ['dfu-util', '-a', '0', '-D', self.img], bug=True,
                     runs=1, timeout=self.hang_s)
            phys, proto, nmin = self.floors(poll)
            self.rows.append({'name': 'floor', 'poll': poll,
                              'phys': phys, 'proto': proto, 'nmin': nmin,
                              'ours': ours['wall']})
        self.reads(self.polls[0])
        self.report()

    # ---- reading the board: upload and verify ----
    def file_is(self, path, want):
        return lambda: (os.path.exists(path) and
                        open(path, 'rb').read() == want)

    def reads(self, poll):
        """An upload of the first 512 KiB of bank 1 by both tools, from
        the flash a download leaves (the bytes compared with it), and
        verify of the image against an upload of the sectors it covers
        (3 in bank 1, 2 in bank 2).  Reads keep the device busy for no
        time, so one bwPollTimeout is enough."""
        print('reads (bwPollTimeout %d ms):' % poll, flush=True)
        n = 512 << 10
        mine = os.path.join(self.work, 'upload-dfusetool.bin')
        theirs = os.path.join(self.work, 'upload-dfu-util.bin')
        want = self.expected[:n]
        self.read_rows = {
            'up': self.row(poll, 'dfusetool upload --range (512 KiB)',
                           [self.tool, 'upload', '-q', '--range',
                            '0x08000000:0x%08x' % (0x08000000 + n), '-o',
                            mine], flash_in=self.full, fresh=(mine,),
                           check=self.file_is(mine, want)),
            'du': self.row(poll, 'dfu-util -a 0 -s 0x08000000:%d -U' % n,
                           ['dfu-util', '-a', '0', '-s',
                            '0x08000000:%d' % n, '-U', theirs],
                           flash_in=self.full, fresh=(theirs,),
                           check=self.file_is(theirs, want)),
        }
        cover = os.path.join(self.work, 'upload-cover.dfu')
        sec = -(-CM7_SIZE // SECTOR) * SECTOR, -(-CM4_SIZE // SECTOR) * SECTOR
        self.read_rows['cover'] = self.row(
            poll, 'dfusetool upload of the %d sectors' % self.sectors,
            [self.tool, 'upload', '-q', '--range',
             '0x08000000:0x%08x' % (0x08000000 + sec[0]), '--range',
             '0x08100000:0x%08x' % (0x08100000 + sec[1]), '-o', cover],
            flash_in=self.full, fresh=(cover,))
        self.read_rows['verify'] = self.row(
            poll, 'dfusetool verify (the image)',
            [self.tool, 'verify', '-q', self.img], flash_in=self.full)
        for r in self.read_rows.values():
            r['read'] = True  # reported in their own table
        self.read_bytes = n
        self.read_poll = poll

    def report(self):
        lines = ['# download: dfusetool vs dfu-util vs the floor', '',
                 'Image: %d KiB CM7 + %d KiB CM4, %d sectors, %d blocks of '
                 '1 KiB in 2 runs. Model: sector erase %d ms, program %d ms '
                 'per block (datasheet typical / %d). Bus: %.0f us per '
                 'control transfer on this harness; %.0f ms start-up. '
                 'Median of %d runs.' %
                 (CM7_SIZE >> 10, CM4_SIZE >> 10, self.sectors, self.blocks,
                  ERASE_MS, PROGRAM_MS, SCALE, self.xfer_s * 1e6,
                  self.start_s * 1000, self.runs), '']
        tsv = ['poll_ms\tname\twall_s\txfers\terases\tdnloads\tuploads\t'
               'clrstatus\tflash_ok\trc\truns']
        for poll in self.polls:
            rows = [r for r in self.rows if r['poll'] == poll]
            fl = [r for r in rows if r['name'] == 'floor'][0]
            ours = [r for r in rows if r['name'] == 'dfusetool download'][0]
            lines += ['## bwPollTimeout %d ms' % poll, '',
                      '| run | wall s | ÷ ours | control transfers | '
                      'erases | flash correct |',
                      '|---|---:|---:|---:|---:|---|']
            for r in rows:
                if r['name'] == 'floor' or r.get('read'):
                    continue
                hung = r['rc'] == 124
                lines.append('| %s | %s | %s | %d | %d | %s |' % (
                    r['name'],
                    ('> %d (hung)' % self.hang_s) if hung else
                    '%.2f' % r['wall'],
                    '–' if hung else '%.2f' % (r['wall'] / ours['wall']),
                    r['xfers'], r['erases'],
                    'yes' if r['ok'] else 'no (exit %d)' % r['rc']))
                tsv.append('\t'.join(str(x) for x in (
                    poll, r['name'], '%.3f' % r['wall'], r['xfers'],
                    r['erases'], r['dnloads'], r['uploads'],
                    r['clrstatus'], int(r['ok']), r['rc'], r['n'])))
            lines += ['',
                      '- physical floor (busy time + %d transfers): %.2f s;'
                      ' dfusetool is %.2f× it' %
                      (fl['nmin'], fl['phys'], fl['ours'] / fl['phys']),
                      '- protocol floor (each busy operation waits at least '
                      'bwPollTimeout): %.2f s; dfusetool is %.2f× it' %
                      (fl['proto'], fl['ours'] / fl['proto']), '']
        lines += self.report_reads(tsv)
        text = '\n'.join(lines) + '\n'
        with open(os.path.join(self.work, 'report.md'), 'w') as f:
            f.write(text)
        with open(os.path.join(self.work, 'results.tsv'), 'w') as f:
            f.write('\n'.join(tsv) + '\n')
        print()
        print(text)

    def report_reads(self, tsv):
        rr, n = self.read_rows, self.read_bytes
        lines = ['## reading the board (bwPollTimeout %d ms)' %
                 self.read_poll, '',
                 '| run | wall s | ÷ dfu-util -U | UPLOAD requests | '
                 'control transfers | right bytes |',
                 '|---|---:|---:|---:|---:|---|']
        for key in ('up', 'du', 'cover', 'verify'):
            r = rr[key]
            lines.append('| %s | %.2f | %.2f | %d | %d | %s |' % (
                r['name'], r['wall'], r['wall'] / rr['du']['wall'],
                r['uploads'], r['xfers'],
                'yes' if r['ok'] else 'no (exit %d)' % r['rc']))
            tsv.append('\t'.join(str(x) for x in (
                self.read_poll, r['name'], '%.3f' % r['wall'], r['xfers'],
                r['erases'], r['dnloads'], r['uploads'], r['clrstatus'],
                int(r['ok']), r['rc'], r['n'])))
        data = -(-n // BLOCK)
        lines += ['',
                  '- upload of %d KiB: %d UPLOAD requests for ceil(bytes / '
                  'wTransferSize) = %d data blocks (+%d); %.2f× the time '
                  'of dfu-util -U of the same range' %
                  (n >> 10, rr['up']['uploads'], data,
                   rr['up']['uploads'] - data,
                   rr['up']['wall'] / rr['du']['wall']),
                  '- verify of the image: %.2f× an upload of the %d sectors '
                  'it covers (%d vs %d UPLOAD requests)' %
                  (rr['verify']['wall'] / rr['cover']['wall'], self.sectors,
                   rr['verify']['uploads'], rr['cover']['uploads']), '']
        return lines


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    Bench(sys.argv[1]).run()
