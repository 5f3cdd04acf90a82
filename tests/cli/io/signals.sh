# SIGINT, SIGTERM and SIGHUP during a large write remove the temporary
# file and exit 130 (SIGINT) or 1; SIGPIPE on '-o -' exits 1.  The signal
# is sent once the temporary file is seen (no timing), so a run that
# finishes first is simply tried again, a bounded number of times.
. "$LIB"
need python3
head -c 33554432 /dev/zero | tr '\0' '\125' > big.bin
python3 - "$DFUSETOOL" <<'PY'
import os, signal, subprocess, sys
tool = sys.argv[1]
def attempt(sig):
    os.makedirs("d", exist_ok=True)
    p = subprocess.Popen([tool, "convert", "big.bin@0x08000000",
                          "--max-input-size", "64M", "--format", "hex",
                          "-o", "d/out.hex"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                          signal.SIG_DFL))
    seen = None
    while p.poll() is None and seen is None:
        for n in os.listdir("d"):
            if n.startswith(".out.hex.") and n.endswith(".tmp"):
                seen = n
    if seen is None:
        p.wait()
        os.unlink("d/out.hex")
        return False
    p.send_signal(sig)
    err = p.communicate()[1].decode()
    want = 130 if sig == signal.SIGINT else 1
    if p.returncode != want:
        sys.exit("%s: exit %d, expected %d: %s" % (sig, p.returncode, want, err))
    left = os.listdir("d")
    if left:
        sys.exit("%s left %r" % (sig, left))
    if "dfusetool: error:" not in err:
        sys.exit("%s: no message: %r" % (sig, err))
    return True
for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    for i in range(50):
        if attempt(sig):
            break
    else:
        sys.exit("%s: the temporary file was never seen" % sig)
# SIGPIPE: the reader of -o - goes away
p = subprocess.Popen([tool, "convert", "big.bin@0x08000000",
                      "--max-input-size", "64M", "--format", "hex", "-o", "-"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
p.stdout.read(10)
p.stdout.close()
err = p.stderr.read().decode()
if p.wait() != 1:
    sys.exit("SIGPIPE: exit %d: %s" % (p.returncode, err))
PY
