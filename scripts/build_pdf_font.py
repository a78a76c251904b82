"""Build app/report/fonts/NotoSansSC-Regular.ttf, the font the Chinese PDF embeds, from Debian's fonts-noto-cjk.

Noto Sans CJK (SIL Open Font License 1.1) ships with CFF outlines, which reportlab cannot embed; this keeps the
Simplified Chinese face, subsets it to what a report can contain — ASCII and Latin-1, punctuation and symbols,
CJK punctuation and full-width forms, all 6,763 GB 2312 hanzi, and every character of the Chinese catalog and
texts — and converts the outlines to TrueType (quadratic) so reportlab can embed and subset it per document.
Run once, when the set of characters must grow (needs fonttools and `apt-get install fonts-noto-cjk`):

    python scripts/build_pdf_font.py [--source /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""
from __future__ import annotations

import argparse
from pathlib import Path

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "app" / "report" / "fonts" / "NotoSansSC-Regular.ttf"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY = "Noto Sans CJK SC"


def gb2312_hanzi() -> str:
    """The 6,763 hanzi of GB 2312 (rows 16–87), which cover everyday Simplified Chinese."""
    chars = []
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def project_text() -> str:
    """Every character of the Chinese catalog and of the texts cbec_core reports in (recommendations, items, names)."""
    files = [ROOT / "app" / "locale" / "zh" / "LC_MESSAGES" / "messages.po", *sorted((ROOT / "cbec_core").rglob("*.py")),
             *sorted((ROOT / "cbec_core" / "data").glob("*.csv")), *sorted((ROOT / "app").rglob("*.py"))]
    return "".join(p.read_text(encoding="utf-8") for p in files if p.exists())


def characters() -> set[int]:
    ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x206F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2460, 0x24FF),
              (0x25A0, 0x25FF), (0x2713, 0x2717), (0x3000, 0x303F), (0xFF00, 0xFFEF)]
    points = {cp for lo, hi in ranges for cp in range(lo, hi + 1)}
    points |= {ord(ch) for ch in gb2312_hanzi() + project_text() + "θαβγδεσμ"}
    return points


def simplified_face(path: Path) -> TTFont:
    """The Simplified Chinese face of the Noto Sans CJK collection."""
    for font in TTCollection(str(path)).fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"{path} has no {FAMILY} face")


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by TrueType ones (cubic → quadratic within 1 unit), in place."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 3.0, [], {}, order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    args = parser.parse_args()
    font = simplified_face(args.source)
    options = Options()
    options.layout_features, options.name_IDs, options.notdef_outline = [], ["*"], True
    options.hinting, options.desubroutinize = False, True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=characters())
    subsetter.subset(font)
    to_truetype(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT))
    print(f"{OUT.relative_to(ROOT)}: {len(font.getGlyphOrder())} glyphs, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
