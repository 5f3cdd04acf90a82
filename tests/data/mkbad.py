#!/usr/bin/env python3
"""Writes tests/data/bad/*.dfu: hand-assembled DfuSe files that each break
one rule, named after the rule, plus tests/data/bad/EXPECT.tsv.

Every file is built here field by field with struct.pack (UM0391 §2; all
integers little-endian), never with our writer.  Unless the rule broken is
the CRC or DFUImageSize, the suffix CRC and DFUImageSize are right, so that
each file shows its one problem and nothing else.

EXPECT.tsv: one line per file: the file name, the diagnostic codes that
dfuse_read / `dfusetool dump --json` must report (the full set, the primary
one first, comma-separated), and the byte offset (decimal) of the first
code's finding.

usage: python3 tests/data/mkbad.py      (from the repository root)
"""
import os
import struct
import sys
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bad")

PREFIX_LEN = 11
TARGET_PREFIX_LEN = 274
ELEMENT_HEADER_LEN = 8
SUFFIX_LEN = 16

# The element of doc/sources.md, Test vectors: SP = 0x20020000, Reset =
# 0x08000299.
VECTORS = bytes([0x00, 0x00, 0x02, 0x20, 0x99, 0x02, 0x00, 0x08])


def dfu_crc(data):
    """dwCRC: ~crc32 (zlib) of every byte before it (DFU 1.1 Appendix B)."""
    return ~zlib.crc32(data) & 0xFFFFFFFF


def prefix(targets=1, image_size=0, signature=b"DfuSe", version=1):
    # szSignature(5) bVersion(1) DFUImageSize(4) bTargets(1) = 11 bytes
    return struct.pack("<5sBIB", signature, version, image_size, targets)


def element(address, data, size=None):
    # dwElementAddress(4) dwElementSize(4), then the data
    if size is None:
        size = len(data)
    return struct.pack("<II", address, size) + data


def target(elements, alt=0, name=b"ST...", named=1, size=None, count=None,
           signature=b"Target", raw_name=None):
    # szSignature(6) bAlternateSetting(1) bTargetNamed(4)
    # szTargetName(255) dwTargetSize(4) dwNbElements(4) = 274 bytes
    body = b"".join(elements)
    if size is None:
        size = len(body)
    if count is None:
        count = len(elements)
    if raw_name is None:
        raw_name = name.ljust(255, b"\0")
    assert len(raw_name) == 255
    head = struct.pack("<6sBI255sII", signature, alt, named, raw_name, size,
                       count)
    assert len(head) == TARGET_PREFIX_LEN
    return head + body


def suffix_without_crc(bcd_device=0xFFFF, pid=0xDF11, vid=0x0483,
                       bcd_dfu=0x011A, signature=b"UFD", length=16):
    # bcdDevice(2) idProduct(2) idVendor(2) bcdDFU(2) ucDfuSignature(3)
    # bLength(1) = 12 bytes; dwCRC(4) follows
    return struct.pack("<HHHH3sB", bcd_device, pid, vid, bcd_dfu, signature,
                       length)


def dfu(body_targets, targets=None, image_size=None, trailing=b"",
        crc_xor=0, signature=b"DfuSe", version=1, **suffix_fields):
    """Prefix + targets + trailing + suffix, with DFUImageSize = size - 16
    and the right CRC unless told otherwise."""
    body = b"".join(body_targets) + trailing
    if targets is None:
        targets = len(body_targets)
    if image_size is None:
        image_size = PREFIX_LEN + len(body)
    data = prefix(targets, image_size, signature, version) + body
    data += suffix_without_crc(**suffix_fields)
    return data + struct.pack("<I", dfu_crc(data) ^ crc_xor)


def with_suffix(head):
    """Any bytes followed by a right suffix (for cuts inside targets)."""
    data = head + suffix_without_crc()
    return data + struct.pack("<I", dfu_crc(data))


def one_target(**kw):
    return target([element(0x08000000, VECTORS)], **kw)


# The golden vector of doc/sources.md, Test vectors (317 bytes), the base of
# every case.
GOLDEN = dfu([one_target()])
assert len(GOLDEN) == 317
assert dfu_crc(GOLDEN[:-4]) == 0xF8D55304

# Offsets in GOLDEN: target 0 at 11, element 0 header at 285, data at 293,
# suffix at 301.
T0 = PREFIX_LEN
E0 = T0 + TARGET_PREFIX_LEN
D0 = E0 + ELEMENT_HEADER_LEN


def golden_with(**suffix_fields):
    """GOLDEN with other suffix fields and the right CRC."""
    data = GOLDEN[:-SUFFIX_LEN] + suffix_without_crc(**suffix_fields)
    return data + struct.pack("<I", dfu_crc(data))


def prefix_with_size(targets, body_len):
    return prefix(targets, PREFIX_LEN + body_len)


CASES = []


def case(name, data, codes, offset):
    CASES.append((name, data, codes, offset))


# ---- truncations at each structure boundary ----
case("truncated-empty.dfu", b"", ["truncated"], 0)
case("truncated-in-prefix.dfu", GOLDEN[:7], ["truncated"], 0)
# 13 bytes: the prefix, then 2 bytes of target 0; no suffix.
case("truncated-no-suffix.dfu", GOLDEN[:13],
     ["truncated", "target-count-mismatch"], 0)
# 20 bytes: the suffix (the last 16 bytes, at 4) overlaps the prefix.
case("truncated-suffix-overlaps-prefix.dfu", GOLDEN[:20],
     ["truncated", "target-count-mismatch", "bad-bcddfu",
      "bad-suffix-signature", "bad-suffix-length", "crc-mismatch",
      "image-size-mismatch"], 4)
# Prefix (bTargets 1) and a suffix: the file ends where target 0 starts.
case("truncated-at-target-prefix.dfu",
     with_suffix(prefix_with_size(1, 0)),
     ["truncated", "target-count-mismatch"], T0)
case("truncated-mid-target-prefix.dfu",
     with_suffix(prefix_with_size(1, 100) + one_target()[:100]),
     ["truncated", "target-count-mismatch"], T0)
case("truncated-mid-element-header.dfu",
     with_suffix(prefix_with_size(1, TARGET_PREFIX_LEN + 4) +
                 one_target()[:TARGET_PREFIX_LEN + 4]),
     ["truncated", "element-count-mismatch"], E0)
case("truncated-mid-element-data.dfu",
     with_suffix(prefix_with_size(1, TARGET_PREFIX_LEN + 11) +
                 one_target()[:TARGET_PREFIX_LEN + 11]),
     ["element-past-end", "element-count-mismatch"], D0)
# The golden file without its last 6 bytes: the "suffix" is now the
# 16 bytes before, the element no longer fits before it.
case("truncated-mid-suffix.dfu", GOLDEN[:-6],
     ["element-past-end", "element-count-mismatch", "image-size-mismatch",
      "bad-bcddfu", "bad-suffix-signature",
      "bad-suffix-length", "crc-mismatch"], D0)

# ---- signatures, version, suffix fields ----
case("prefix-signature.dfu", dfu([one_target()], signature=b"DfuSx"),
     ["bad-prefix-signature"], 0)
case("prefix-version-2.dfu", dfu([one_target()], version=2),
     ["unsupported-version"], 5)
case("target-signature.dfu", dfu([one_target(signature=b"Targxt")]),
     ["bad-target-signature", "target-count-mismatch"], T0)


case("suffix-signature.dfu", golden_with(signature=b"UFX"),
     ["bad-suffix-signature"], 301 + 8)
case("suffix-blength-15.dfu", golden_with(length=15),
     ["bad-suffix-length"], 301 + 11)
case("suffix-bcddfu-0100.dfu", golden_with(bcd_dfu=0x0100),
     ["bad-bcddfu"], 301 + 6)
case("suffix-crc.dfu", dfu([one_target()], crc_xor=0x00000001),
     ["crc-mismatch"], 301 + 12)
case("suffix-id-product-zero.dfu", golden_with(pid=0x0000),
     ["id-product-zero"], 301 + 2)

# ---- sizes and counts ----
case("image-size-off-by-one.dfu", dfu([one_target()], image_size=300),
     ["image-size-mismatch"], 6)
case("image-size-includes-suffix.dfu", dfu([one_target()], image_size=317),
     ["image-size-includes-suffix"], 6)
case("elem-size-past-eof.dfu",
     dfu([target([element(0x08000000, VECTORS, size=9)], size=17)]),
     ["element-past-end", "element-count-mismatch"], D0)
case("elem-size-ffffffff.dfu",
     dfu([target([element(0x08000000, VECTORS, size=0xFFFFFFFF)],
                 size=16)]),
     ["element-past-end", "element-count-mismatch"], D0)
# Target 0's element does not fit, but dwTargetSize finds target 1.
case("elem-size-past-eof-two-targets.dfu",
     dfu([target([element(0x08000000, VECTORS, size=0x1000)], size=16),
          one_target(alt=1)]),
     ["element-past-end", "element-count-mismatch"], D0)
# dwNbElements 2 for one element: where element 1 would start stands
# target 1's prefix; the elements end there ("probably 1 too big") and
# target 1 is read.
case("elem-count-too-big-two-targets.dfu",
     dfu([one_target(count=2), one_target(alt=1)]),
     ["element-count-mismatch"], T0 + 270)
# The same in the last target: the suffix follows the one element.
case("elem-count-too-big.dfu", dfu([one_target(count=2)]),
     ["element-count-mismatch"], T0 + 270)
case("elem-count-ffffffff.dfu", dfu([one_target(count=0xFFFFFFFF)]),
     ["element-count-mismatch"], T0 + 270)
# Two targets, the first claiming 0xFFFFFFFF elements: dwTargetSize says
# where it ends, so target 1 is still read.
case("elem-count-ffffffff-two-targets.dfu",
     dfu([one_target(count=0xFFFFFFFF), one_target(alt=1)]),
     ["element-count-mismatch"], T0 + 270)
# dwNbElements 1 but two elements: the second belongs to nothing, an
# error (its data would be dropped); dwTargetSize covers both.
case("elem-count-short.dfu",
     dfu([target([element(0x08000000, VECTORS),
                  element(0x08100000, VECTORS)], count=1)]),
     ["trailing-bytes", "target-size-mismatch"], E0 + 16)
# The same in target 0 of two: the unowned element stands where target 1
# should start; target 1 is found after it and read.
case("elem-count-short-two-targets.dfu",
     dfu([target([element(0x08000000, VECTORS),
                  element(0x08100000, VECTORS)], count=1),
          one_target(alt=1)]),
     ["trailing-bytes", "target-size-mismatch"], E0 + 16)
# dwElementSize 4 for 8 bytes of data: 4 bytes are left over, inside
# what dwTargetSize covers.
case("elem-size-short.dfu",
     dfu([target([element(0x08000000, VECTORS, size=4)], size=16)]),
     ["trailing-bytes", "target-size-mismatch"], D0 + 4)
# An element at 0xFFFFFFFC with 8 bytes passes the 4 GiB address space.
case("elem-wraps.dfu", dfu([target([element(0xFFFFFFFC, VECTORS)])]),
     ["element-wraps"], E0)
case("target-size-mismatch.dfu", dfu([one_target(size=24)]),
     ["target-size-mismatch"], T0 + 266)
case("target-size-ffffffff.dfu", dfu([one_target(size=0xFFFFFFFF)]),
     ["target-size-mismatch"], T0 + 266)
case("target-count-ff.dfu", dfu([one_target()], targets=255),
     ["truncated", "target-count-mismatch"], D0 + 8)
case("target-count-short.dfu", dfu([one_target()], targets=2),
     ["truncated", "target-count-mismatch"], D0 + 8)
case("target-count-extra.dfu",
     dfu([one_target(), one_target(alt=1)], targets=1),
     ["target-count-mismatch"], 10)
case("no-targets.dfu", dfu([]), ["no-targets"], 10)
case("trailing-bytes.dfu",
     dfu([one_target()], trailing=b"\xde\xad\xbe\xef\x00"),
     ["trailing-bytes"], D0 + 8)

# ---- files that are not DfuSe: one not-dfuse error, nothing else ----
# PNG signature and the start of an IHDR chunk.
case("not-dfuse-png.dfu",
     b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", 1, 1),
     ["not-dfuse"], 0)
# A plain DFU 1.0 file: 64 raw bytes, then the 16-byte DFU suffix
# (bcdDevice, idProduct, idVendor, bcdDFU 0x0100, "UFD", 16, dwCRC).
PLAIN = VECTORS * 8 + struct.pack("<HHHH3sB", 0x0200, 0xDF11, 0x0483,
                                  0x0100, b"UFD", 16)
case("not-dfuse-plain-dfu.dfu",
     PLAIN + struct.pack("<I", dfu_crc(PLAIN)), ["not-dfuse"], 0)
# ELF32 little-endian identification bytes, then zeros.
case("not-dfuse-elf.dfu", b"\x7fELF\x01\x01\x01" + b"\0" * 45,
     ["not-dfuse"], 0)
# An Intel HEX data record and the end-of-file record.
case("not-dfuse-hex.dfu",
     b":0400000000000220DA\r\n:00000001FF\r\n", ["not-dfuse"], 0)

# ---- elements ----
case("elem-overlap.dfu",
     dfu([target([element(0x08000000, VECTORS),
                  element(0x08000004, VECTORS)])]),
     ["element-overlap"], E0 + 16)
case("elem-empty.dfu",
     dfu([target([element(0x08000000, VECTORS),
                  element(0x08001000, b"")])]),
     ["element-empty"], E0 + 16)

# ---- names ----
case("name-nonprintable.dfu", dfu([one_target(name=b"ST\x1b[2J")]),
     ["name-garbage"], T0 + 11 + 2)
case("name-garbage-after-nul.dfu",
     dfu([one_target(raw_name=b"ST...\0\x41\x00\x99".ljust(255, b"\0"))]),
     ["name-garbage"], T0 + 11 + 6)
case("name-targetnamed-2.dfu", dfu([one_target(named=2)]),
     ["name-garbage"], T0 + 7)


def main():
    os.makedirs(OUT, exist_ok=True)
    names = set()
    lines = [
        "# file\tcodes (all that must be reported; primary first)\t"
        "offset of the primary finding (decimal)",
        "# written by tests/data/mkbad.py; do not edit",
    ]
    for name, data, codes, offset in CASES:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        lines.append("%s\t%s\t%d" % (name, ",".join(codes), offset))
    with open(os.path.join(OUT, "EXPECT.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("mkbad: wrote %d files to %s" % (len(names), OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
