"""The cross-border e-commerce comprehensive pilot zones (State Council batches 1–7, 2015–2022) as one list.

Shipped as package data (`cbec_core/data/pilot_zones.csv`): Chinese and English names, province, batch,
approval document and the source of each row; 16 batch-7 rows are marked `verified = no` (listed under
国函〔2022〕126号 but not checked against the document). Zones approved after 2022 are not in the list: none
could be verified here. `canonical_zone` maps any known spelling (杭州, 杭州市, hangzhou, Hangzhou) to
the canonical English name, which is what data sets and assessments store and `cbec zones` prints.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class PilotZone:
    """One pilot zone as the State Council approved it."""

    zone_cn: str
    zone_en: str
    province_cn: str
    province_en: str
    batch: int
    approval_date: str
    doc_no: str
    verified: bool
    source: str

    def label(self, lang: str) -> str:
        """The zone's name for a chooser: both languages, the page's first."""
        return f"{self.zone_cn} {self.zone_en}" if lang == "zh" else f"{self.zone_en} {self.zone_cn}"


@cache
def pilot_zones() -> tuple[PilotZone, ...]:
    """Every pilot zone in the list, in batch order."""
    with files("cbec_core").joinpath("data/pilot_zones.csv").open(encoding="utf-8") as handle:
        return tuple(PilotZone(r["zone_cn"], r["zone_en"], r["province_cn"], r["province_en"], int(r["batch"]),
                               r["approval_date"], r["doc_no"], r["verified"] == "yes", r["source"])
                     for r in csv.DictReader(handle))


def _key(text: str) -> str:
    return "".join(text.split()).casefold().replace("’", "'")


def _spellings(zone: PilotZone) -> set[str]:
    """The spellings a zone is known by: English with or without its qualifier, "Prefecture" or apostrophe;
    Chinese with or without 市."""
    bare = zone.zone_en.split(" (")[0].removesuffix(" Prefecture")
    names = {zone.zone_en, zone.zone_en.replace("'", ""), bare, bare.replace("'", ""), zone.zone_cn, zone.zone_cn + "市"}
    return {_key(n) for n in names}


@cache
def _lookup() -> dict[str, str | None]:
    """Spelling → canonical English name; None for a spelling two zones share (Taizhou)."""
    table: dict[str, str | None] = {}
    for zone in pilot_zones():
        for key in _spellings(zone):
            table[key] = zone.zone_en if table.get(key, zone.zone_en) == zone.zone_en else None
    return table


def canonical_zone(text: str) -> str | None:
    """The canonical English name of a pilot zone spelled `text` (any case or spacing, Chinese or English);
    None when the spelling is unknown or names two zones."""
    return _lookup().get(_key(str(text)))


def zone_names() -> tuple[str, ...]:
    """The canonical names, in list order (what a chooser offers)."""
    return tuple(z.zone_en for z in pilot_zones())


def zone_by_name(name: str) -> PilotZone:
    """A zone by its canonical English name."""
    return next(z for z in pilot_zones() if z.zone_en == name)
