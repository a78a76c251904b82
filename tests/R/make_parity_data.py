"""Simulate the survey files the R/lavaan parity fixtures are computed from.

    python tests/R/make_parity_data.py            # writes tests/fixtures/parity/survey_{a,b,c,d}.csv

The output is fully determined by the seeds below (numpy's default_rng), so re-running it gives the
same files byte for byte. The data come from a latent moderated-mediation model (MODEL.md §5):

    AIGC, IO, LSC      correlated standard normals (IO shifted up for pilot-zone firms)
    DC  = f(AIGC, IO, AIGC·IO)                        -> real a-path moderation (H3)
    HQD = f(AIGC, DC, LSC, DC·LSC, IO, IO·LSC, size)  -> real b-path and joint moderation (H4, H5)

Each latent is standardised, each item is λ·η + √(1−λ²)·ε with λ in 0.65–0.85 (plus one
cross-loading and one or two shared error factors, so the fitted CFA has a realistic, non-zero
misfit), and items are cut into the 1–5 Likert scale at fixed thresholds. survey_a.csv also holds rows that a fit must drop
(see BAD_ROWS_A); survey_b.csv has different coefficients, a smaller pilot-zone share and no bad rows;
survey_c.csv has DC2 and DC3 loading far lower for pilot-zone firms (metric invariance fails);
survey_d.csv has its cut points lowered so most answers are 4 or 5 (skewed data for MLR).
"""
from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from cbec_core.instrument import CONSTRUCTS, ITEM_COLUMNS  # noqa: E402

OUT_DIR = ROOT / "tests" / "fixtures" / "parity"
COLUMNS = ("firm_id",) + ITEM_COLUMNS + ("firm_size", "firm_age", "region", "business_model", "pilot_zone", "province", "zone")

# Provinces by NBS belt, each with a cross-border e-commerce comprehensive pilot-zone city.
PROVINCES = {
    "east": [("Zhejiang", "Hangzhou"), ("Guangdong", "Shenzhen"), ("Jiangsu", "Suzhou"), ("Shandong", "Qingdao"),
             ("Fujian", "Xiamen"), ("Shanghai", "Shanghai"), ("Beijing", "Beijing")],
    "central": [("Henan", "Zhengzhou"), ("Hubei", "Wuhan"), ("Hunan", "Changsha"), ("Anhui", "Hefei"),
                ("Jiangxi", "Nanchang"), ("Shanxi", "Taiyuan")],
    "west": [("Sichuan", "Chengdu"), ("Chongqing", "Chongqing"), ("Shaanxi", "Xi'an"), ("Guangxi", "Nanning"),
             ("Yunnan", "Kunming"), ("Guizhou", "Guiyang")],
}
# Employee-count bands (log-uniform within a band); 45% in the paper's modal 50–200 band.
SIZE_BANDS = ((1, 49, 0.25), (50, 200, 0.45), (201, 1000, 0.22), (1001, 5000, 0.08))
# Cut points on the standardised item scale: 1 | 2 | 3 | 4 | 5.
THRESHOLDS = np.array([-1.6, -0.75, 0.15, 1.05])


@dataclass(frozen=True)
class Design:
    """Everything that differs between the two simulated surveys."""

    name: str
    n: int
    seed: int
    pilot_share: float
    b2c_share: float
    exo_corr: tuple[float, float, float]  # corr(AIGC, IO), corr(AIGC, LSC), corr(IO, LSC)
    io_pilot_shift: float                 # latent IO gain of a pilot-zone firm
    dc: dict[str, float]                  # DC  = Σ coef · term + noise
    hqd: dict[str, float]                 # HQD = Σ coef · term + noise
    cross_loadings: dict[str, tuple[str, float]]   # item -> (other construct, loading): CFA misfit
    residual_pairs: tuple[tuple[str, str, float], ...]  # items sharing an error factor: CFA misfit
    pilot_loadings: tuple[tuple[str, float], ...] = ()  # item -> its loading for pilot-zone firms only (non-invariance)
    threshold_offset: float = 0.0  # added to every cut point: negative skews answers towards 4–5


DESIGN_A = Design(
    name="survey_a", n=400, seed=20250601, pilot_share=0.60, b2c_share=0.35,
    exo_corr=(0.35, 0.30, 0.25), io_pilot_shift=0.50,
    dc={"A": 0.45, "W": 0.20, "A:W": 0.22},
    hqd={"A": 0.12, "M": 0.40, "Z": 0.20, "M:Z": 0.18, "W": 0.10, "W:Z": 0.12, "size": 0.08},
    cross_loadings={"DC3": ("AIGC", 0.30)},
    residual_pairs=(("HQD5", "HQD6", 0.40), ("IO1", "IO2", 0.25)),
)
DESIGN_C = Design(
    name="survey_c", n=500, seed=20250603, pilot_share=0.50, b2c_share=0.40,
    exo_corr=(0.30, 0.30, 0.25), io_pilot_shift=0.40,
    dc={"A": 0.50, "W": 0.15, "A:W": 0.20},
    hqd={"A": 0.15, "M": 0.35, "Z": 0.20, "M:Z": 0.15, "W": 0.10, "W:Z": 0.10, "size": 0.05},
    cross_loadings={},
    residual_pairs=(("HQD3", "HQD4", 0.30),),
    pilot_loadings=(("DC2", 0.10), ("DC3", 0.05)),
)
DESIGN_D = Design(
    name="survey_d", n=300, seed=20250604, pilot_share=0.55, b2c_share=0.35,
    exo_corr=(0.35, 0.30, 0.25), io_pilot_shift=0.30,
    dc={"A": 0.40, "W": 0.20, "A:W": 0.15},
    hqd={"A": 0.15, "M": 0.35, "Z": 0.20, "M:Z": 0.10, "W": 0.10, "W:Z": 0.05, "size": 0.05},
    cross_loadings={"HQD2": ("DC", 0.25)},
    residual_pairs=(("AIGC3", "AIGC4", 0.30),),
    threshold_offset=-1.05,
)
DESIGN_B = Design(
    name="survey_b", n=250, seed=20250602, pilot_share=0.40, b2c_share=0.45,
    exo_corr=(0.25, 0.40, 0.20), io_pilot_shift=0.30,
    dc={"A": 0.55, "W": 0.10, "A:W": 0.30},
    hqd={"A": 0.20, "M": 0.30, "Z": 0.25, "M:Z": 0.25, "W": 0.05, "W:Z": 0.05, "size": 0.00},
    cross_loadings={"LSC3": ("HQD", 0.30)},
    residual_pairs=(("HQD1", "HQD2", 0.40),),
)

# Rows of survey_a that a fit must exclude: (row index, column, raw cell text). The first six break
# the items (excluded always); the last blanks a control (excluded only when fitting with controls).
BAD_ROWS_A = (
    (17, "AIGC2", ""),       # blank item
    (58, "DC1", ""),         # two blank items in one row
    (58, "HQD4", ""),
    (103, "IO3", "7"),       # above the scale
    (161, "LSC1", "0"),      # below the scale
    (222, "HQD6", "6"),      # above the scale
    (305, "DC2", "2.5"),     # not a whole number
    (377, "firm_age", ""),   # blank control only
)


def _standardise(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


def simulate(d: Design) -> list[dict[str, str]]:
    """One survey as rows of cell text (the exact strings written to the CSV)."""
    rng = np.random.default_rng(d.seed)
    n = d.n

    # Controls first: pilot-zone membership also raises latent institutional openness.
    pilot = (rng.random(n) < d.pilot_share).astype(int)
    region = rng.choice(["east", "central", "west"], size=n, p=[0.55, 0.25, 0.20])
    b2c = rng.random(n) < d.b2c_share
    band = rng.choice(len(SIZE_BANDS), size=n, p=[b[2] for b in SIZE_BANDS])
    lo = np.array([SIZE_BANDS[b][0] for b in band], dtype=float)
    hi = np.array([SIZE_BANDS[b][1] for b in band], dtype=float)
    size = np.floor(np.exp(rng.uniform(np.log(lo), np.log(hi + 1)))).astype(int).clip(lo.astype(int), hi.astype(int))
    age = np.round(rng.gamma(shape=2.0, scale=4.5, size=n)).astype(int)

    # Exogenous latents.
    r_ai, r_az, r_iz = d.exo_corr
    corr = np.array([[1, r_ai, r_az], [r_ai, 1, r_iz], [r_az, r_iz, 1]])
    exo = rng.multivariate_normal(np.zeros(3), corr, size=n)
    a = _standardise(exo[:, 0])
    w = _standardise(exo[:, 1] + d.io_pilot_shift * (pilot - pilot.mean()))
    z = _standardise(exo[:, 2])

    # Structural part with genuine interactions; the noise keeps R² moderate.
    m = d.dc["A"] * a + d.dc["W"] * w + d.dc["A:W"] * a * w + rng.normal(0, 0.75, n)
    m = _standardise(m)
    log_size = _standardise(np.log(size))
    y = (d.hqd["A"] * a + d.hqd["M"] * m + d.hqd["Z"] * z + d.hqd["M:Z"] * m * z
         + d.hqd["W"] * w + d.hqd["W:Z"] * w * z + d.hqd["size"] * log_size + rng.normal(0, 0.70, n))
    y = _standardise(y)
    latent = {"AIGC": a, "DC": m, "IO": w, "LSC": z, "HQD": y}

    # Measurement: congeneric items cut into 1–5 with a small per-item threshold shift. A few
    # cross-loadings and shared error factors (not in the fitted CFA) give it a realistic misfit.
    shared = {pair: rng.normal(size=n) for pair in d.residual_pairs}
    items: dict[str, np.ndarray] = {}
    for c in CONSTRUCTS:
        for col in c.items:
            lam = rng.uniform(0.65, 0.85)
            if col in dict(d.pilot_loadings):  # the item reads differently in pilot-zone firms
                lam = np.where(pilot == 1, dict(d.pilot_loadings)[col], lam)
            star = lam * latent[c.code]
            extra = 0.0
            if col in d.cross_loadings:
                other, weight = d.cross_loadings[col]
                star = star + weight * latent[other]
                extra += weight**2
            for pair, u in shared.items():
                if col in pair[:2]:
                    star = star + pair[2] * u
                    extra += pair[2] ** 2
            star = star + np.sqrt(np.maximum(1 - lam**2 - extra, 0.05)) * rng.normal(size=n)
            shift = rng.uniform(-0.25, 0.25)
            items[col] = 1 + (star[:, None] > THRESHOLDS[None, :] + shift + d.threshold_offset).sum(axis=1)

    rows = []
    for i in range(n):
        province, city = PROVINCES[region[i]][rng.integers(len(PROVINCES[region[i]]))]
        row = {"firm_id": f"{d.name[-1].upper()}{i + 1:04d}"}
        row |= {col: str(int(items[col][i])) for col in ITEM_COLUMNS}
        row |= {"firm_size": str(int(size[i])), "firm_age": str(int(age[i])), "region": str(region[i]),
                "business_model": "B2C" if b2c[i] else "B2B", "pilot_zone": str(int(pilot[i])),
                "province": province, "zone": city if pilot[i] else ""}
        rows.append(row)
    return rows


def write(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rows_a = simulate(DESIGN_A)
    for i, column, text in BAD_ROWS_A:
        rows_a[i][column] = text
    write(rows_a, OUT_DIR / "survey_a.csv")
    write(simulate(DESIGN_B), OUT_DIR / "survey_b.csv")
    write(simulate(DESIGN_C), OUT_DIR / "survey_c.csv")
    write(simulate(DESIGN_D), OUT_DIR / "survey_d.csv")
    print(f"wrote {OUT_DIR / 'survey_a.csv'} ({len(rows_a)} rows), {OUT_DIR / 'survey_b.csv'} ({DESIGN_B.n} rows) "
          f"{OUT_DIR / 'survey_c.csv'} ({DESIGN_C.n} rows, DC2 and DC3 loading differently for pilot-zone firms) "
          f"and {OUT_DIR / 'survey_d.csv'} ({DESIGN_D.n} rows, answers skewed to 4–5)")


if __name__ == "__main__":
    main()
