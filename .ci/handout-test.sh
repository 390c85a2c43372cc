#!/usr/bin/env bash
# The patient's handout, end to end: renders the demo's handout.html with --pdf, turns the PDF
# into PNG pages (pdftoppm, Debian's poppler-utils), checks there is more than one page and that
# none is blank, and screenshots the page in headless Chromium at a phone's width (390 px). The
# pages and the screenshot stay in Outputs/handout-ci/ for a person to look at.
set -euo pipefail
cd "$(dirname "$0")/.."

out=Outputs/handout-ci
rm -rf "$out"
mkdir -p "$out"
# SMP_SCRATCH_PATH: a build folder other than .build (a shared machine's own).
scratch=()
[ -n "${SMP_SCRATCH_PATH:-}" ] && scratch=(--scratch-path "$SMP_SCRATCH_PATH")
swift build "${scratch[@]}" --product smp
smp="$(swift build "${scratch[@]}" --show-bin-path)/smp"
"$smp" handout Scenes/demo.yaml --out "$out" --pdf

pdftoppm -r 40 -gray "$out/handout.pdf" "$out/page"
chromium=$(command -v chromium || command -v chromium-browser)
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --window-size=390,2000 --screenshot="$PWD/$out/phone.png" "file://$PWD/$out/handout.html" >"$out/chromium.log" 2>&1

python3 - "$out" <<'PY'
import glob, os, sys, zlib

folder = sys.argv[1]

def inked_share(pixels, white=235):
    """The share of pixels darker than near-white: 0 on a blank page."""
    return sum(1 for p in pixels if p < white) / max(1, len(pixels))

def read_pgm(path):
    data = open(path, "rb").read()
    fields, position = [], 0
    while len(fields) < 4:   # magic, width, height, maximum, separated by whitespace
        while data[position:position + 1].isspace():
            position += 1
        start = position
        while not data[position:position + 1].isspace():
            position += 1
        fields.append(data[start:position])
    assert fields[0] == b"P5", f"{path}: not a binary PGM"
    return data[position + 1:]

pages = sorted(glob.glob(os.path.join(folder, "page-*.pgm")))
failures = []
if len(pages) < 2:
    failures.append(f"handout.pdf has {len(pages)} page(s); expected more than one")
for page in pages:
    share = inked_share(read_pgm(page))
    print(f"{os.path.basename(page)}: {share:.1%} inked")
    if share < 0.01:
        failures.append(f"{page} is blank ({share:.2%} of its pixels inked)")

# The phone screenshot: its image data, unfiltered bytes aside, is nearly all zeros when blank
# (every filtered row of a flat colour is zeros); a page of text and pictures is not.
png = open(os.path.join(folder, "phone.png"), "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "phone.png is not a PNG"
idat, position = b"", 8
while position < len(png):
    length = int.from_bytes(png[position:position + 4], "big")
    kind = png[position + 4:position + 8]
    if kind == b"IDAT":
        idat += png[position + 8:position + 8 + length]
    position += 12 + length
raw = zlib.decompress(idat)
busy = sum(1 for b in raw if b) / len(raw)
width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
print(f"phone.png: {width} x {height}, {busy:.1%} of its filtered bytes non-zero")
if width != 390 or busy < 0.02:
    failures.append(f"phone.png ({width} x {height}) looks blank or is not phone-wide")

for failure in failures:
    print("handout-test: " + failure, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
echo "handout-test: $out/handout.html, handout.pdf ($(ls "$out"/page-*.pgm | wc -l) pages) and phone.png look fine; look at them too"
