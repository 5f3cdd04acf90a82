# The symlink-swap race: while out.dfu flips between a symlink to
# /dev/null and a symlink to a victim file, builds to out.dfu never write
# the victim (a symlink is replaced, never written through; a device is
# written through the one descriptor that was checked).  Bounded: 100
# builds against a swapper that stops when they do.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
echo "victim: must stay as it is" > victim
cp victim victim.orig
python3 - "$DFUSETOOL" "$S/cm7.elf" <<'PY'
import os, subprocess, sys, threading
tool, elf = sys.argv[1], sys.argv[2]
stop = False
def swap():
    i = 0
    while not stop:
        os.symlink("/dev/null" if i % 2 else os.path.abspath("victim"), "tmp.link")
        os.replace("tmp.link", "out.dfu")
        i += 1
t = threading.Thread(target=swap)
t.start()
try:
    for i in range(100):
        r = subprocess.run([tool, "build", "--cm7", elf, "-o", "out.dfu"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            sys.exit("build failed: %s" % r.stderr.decode())
finally:
    stop = True
    t.join()
PY
cmp victim victim.orig || fail "the victim was written"
ls -a | grep -q '\.tmp$' && fail "a temporary file was left: $(ls -a)"
true
