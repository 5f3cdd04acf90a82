# --json: an array of every profile that parses, with the H745's values
# from RM0399 §2-§4.4 and the observed ROM (doc/sources.md).
. "$LIB"
need python3
run 0 dfusetool profiles --json
python3 - out <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list), d
names = [p["name"] for p in d]
assert names[0] == "stm32h745xi", names
assert len(names) == 13 and len(set(names)) == 13, names
keys = {"name", "description", "dual_core", "cores", "flash_word", "usb",
        "banks", "regions"}
for p in d:
    assert set(p) == keys, (p["name"], set(p) ^ keys)
    assert p["usb"] == {"vid": 0x0483, "pid": 0xDF11}, p["usb"]
    assert p["dual_core"] == ("cm4" in p["cores"]), p["name"]
    end = 0
    for r in p["regions"]:
        assert isinstance(r["base"], int) and isinstance(r["size"], int)
        assert r["base"] >= end, (p["name"], r)
        end = r["base"] + r["size"]
        assert r["kind"] in ("flash", "ram", "system", "option", "otp"), r
        assert not r["bootloader_writable"] or r["writable"], r
p = d[0]
assert p["dual_core"] is True
assert p["cores"] == ["cm7", "cm4"], p["cores"]
assert p["flash_word"] == 32
b = p["banks"]
assert [x["number"] for x in b] == [1, 2], b
assert [x["base"] for x in b] == [0x08000000, 0x08100000], b
assert all(x["sector_size"] == 131072 and x["sector_count"] == 8 for x in b), b
assert b[0]["core"] == "cm7" and b[1]["core"] == "cm4", b
r = {x["name"]: x for x in p["regions"]}
assert r["DTCM"]["cores"] == ["cm7"], r["DTCM"]
assert r["D2 SRAM (CM4 alias)"]["cores"] == ["cm4"]
assert r["System memory"]["writable"] is False
assert r["Option bytes"]["base"] == 0x5200201C and r["Option bytes"]["size"] == 128
h743 = [x for x in d if x["name"] == "stm32h743xi"][0]
assert h743["dual_core"] is False and h743["cores"] == ["cm7"]
assert h743["banks"][1]["core"] is None, h743["banks"]
h7a3 = [x for x in d if x["name"] == "stm32h7a3xi"][0]
assert h7a3["flash_word"] == 16
assert h7a3["banks"][0]["sector_size"] == 8192 and h7a3["banks"][0]["sector_count"] == 128
PY

# one name: still an array, of one
run 0 dfusetool profiles --json STM32H745XI
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [p["name"] for p in d] == ["stm32h745xi"], d' out
