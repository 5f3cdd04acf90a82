# A file truncated and regrown while dump, check and map read it gives a
# clean verdict (exit 0 or 1), never a signal: inputs are read, not mapped.
. "$LIB"
need python3
S=$SAMPLES/h745-blinky
run 0 dfusetool build --cm7 "$S/cm7.elf" --cm4 "$S/cm4.elf" -o in.dfu
python3 - "$DFUSETOOL" <<'PY'
import os, subprocess, sys, threading
tool = sys.argv[1]
data = open("in.dfu", "rb").read() * 1
big = data[:11] + data[11:] + b"\0" * (8 << 20)
with open("v.dfu", "wb") as f:
    f.write(big)
stop = False
def flip():
    while not stop:
        os.truncate("v.dfu", 100)
        os.truncate("v.dfu", len(big))
t = threading.Thread(target=flip)
t.start()
try:
    for i in range(30):
        for cmd in ("dump", "check", "map"):
            r = subprocess.run([tool, cmd, "v.dfu"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if r.returncode not in (0, 1):
                sys.exit("%s: exit %d" % (cmd, r.returncode))
finally:
    stop = True
    t.join()
PY
