"""Which cells of a table of group means may be published: the 5-firm rule with complementary suppression.

Pure (numpy only). A *cell* is a named set of units (a unit is one firm's record: a data set's row, or one
assessment); publishing a cell publishes its n and its mean of each construct, i.e. the sum of its units'
values, which is linear. An attacker who holds every published (n, mean) of a page can therefore learn the
total of any set of units whose 0/1 indicator vector lies in the row space of the published cells'
membership matrix — and nothing else by linear algebra. `violations` checks exactly that; `protect`
hides cells until it holds (the secondary cell suppression of the Handbook on Statistical Disclosure
Control and of τ-ARGUS for linked, hierarchical tables, here with a greedy choice and an exhaustive check —
see docs/zones.md).

What `violations` guarantees when it returns nothing:
- no set of 1 to MIN_FIRMS − 1 units — every single firm, every difference of published cells that
  leaves a few firms, every union of such — has a total that is a linear combination of published totals
  (exhaustive: such a set must be a union of *atoms*, the units that share one membership pattern, so
  every union of atoms of fewer than MIN_FIRMS units is tried);
- no hidden cell's total is such a combination (a hidden cell cannot be recomputed by subtraction).
Not covered: bounds (a mean of 5.0 on the 1–5 scale says every member answered 5), an attacker who
knows other members' answers (a participant learns the sum of the others), and order statistics, which
are therefore only published for cells of MIN_ORDER or more units (cbec_core.zones).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, islice

import numpy as np

from .scoring import MIN_SEGMENT

MIN_FIRMS = MIN_SEGMENT  # 5: a cell of fewer units is never shown, nor any set of fewer units recoverable
MIN_ORDER = 10  # order statistics (median, quartiles, whiskers) only for cells of at least this many units
TOO_FEW = "too_few"  # reasons a cell is hidden
PROTECTS = "protects"
TOL = 1e-9
CHUNK = 50_000  # combinations of small atoms checked at once (bounds memory, not the result)
LEVELS = ("zone", "province", "region", "pilot_zone", "total")
"""Hiding order among cells of equal size: the finest level goes first (τ-ARGUS hides low-level cells first)."""

Key = Hashable


@dataclass(frozen=True)
class Pattern:
    """What may be published: the shown cells, and for each hidden one why ("too_few" or "protects")."""

    shown: frozenset
    hidden: Mapping[Key, str]

    def is_shown(self, key: Key) -> bool:
        return key in self.shown


@dataclass(frozen=True)
class Violation:
    """A set of units whose total can be recomputed from the published cells: a small set, or a hidden cell."""

    units: tuple[int, ...]
    cell: Key | None  # the hidden cell it is, or None for a small set

    def __str__(self) -> str:
        what = f"hidden cell {self.cell!r}" if self.cell is not None else f"{len(self.units)} unit(s)"
        return f"{what} recoverable: units {list(self.units)}"


def _indices(members: Iterable[int]) -> np.ndarray:
    return np.unique(np.fromiter(members, dtype=np.int64))


class _RowSpace:
    """The row space of published cells, in atom coordinates (units with one membership pattern share an atom)."""

    def __init__(self, published: Sequence[np.ndarray], n_units: int):
        covered = np.zeros(n_units, dtype=bool)
        pattern = np.zeros((n_units, len(published)), dtype=np.int8)
        for j, members in enumerate(published):
            pattern[members, j] = 1
            covered[members] = True
        _, self.atom_of, sizes = np.unique(pattern, axis=0, return_inverse=True, return_counts=True)
        self.atom_of = self.atom_of.ravel()
        self.sizes = sizes
        atoms = np.zeros((len(published), len(sizes)))
        for j, members in enumerate(published):
            atoms[j, np.unique(self.atom_of[members])] = 1.0
        self.matrix = atoms
        if atoms.size == 0:
            self.null = np.eye(len(sizes))
        else:
            _, s, vt = np.linalg.svd(atoms, full_matrices=True)
            rank = int((s > TOL * max(atoms.shape) * (s[0] if len(s) else 1.0)).sum())
            self.null = vt[rank:].T  # atoms × (atoms − rank): orthogonal to every published cell
        self.uncovered = ~covered

    def atom_vector(self, members: np.ndarray) -> np.ndarray | None:
        """A unit set as an atom vector, or None when it splits an atom (then it is not in the row space)."""
        counts = np.bincount(self.atom_of[members], minlength=len(self.sizes))
        partial = (counts > 0) & (counts < self.sizes)
        return None if partial.any() else (counts > 0).astype(float)

    def contains(self, vector: np.ndarray) -> bool:
        return float(np.abs(self.null.T @ vector).max(initial=0.0)) < 1e-7

    def small_sets(self, limit: int) -> Iterable[tuple[int, ...]]:
        """Every union of atoms with fewer than `limit` units that lies in the row space, smallest unions first
        (at most limit − 1 atoms can make fewer than `limit` units; evaluated in chunks of CHUNK combinations)."""
        small = np.flatnonzero(self.sizes < limit)
        rows, sizes = self.null[small], self.sizes[small]
        for r in range(1, limit):
            usable = np.flatnonzero(sizes <= limit - r)  # r atoms of at least one unit each
            combos = combinations(usable.tolist(), r)
            while chunk := list(islice(combos, CHUNK)):
                block = np.asarray(chunk, dtype=np.int64)
                block = block[sizes[block].sum(axis=1) < limit]
                if rows.shape[1]:
                    block = block[np.abs(rows[block].sum(axis=1)).max(axis=1) < 1e-7]
                for combo in block:
                    yield tuple(int(small[i]) for i in combo)

    def units_of(self, atoms: Iterable[int]) -> tuple[int, ...]:
        return tuple(int(u) for u in np.flatnonzero(np.isin(self.atom_of, list(atoms))))


def violations(published: Mapping[Key, Iterable[int]], n_units: int, *,
               hidden: Mapping[Key, Iterable[int]] | None = None, min_firms: int = MIN_FIRMS,
               first_only: bool = False) -> list[Violation]:
    """Every set of fewer than `min_firms` units, and every `hidden` cell, whose total is a linear combination
    of the `published` cells' totals (their indicator vector lies in the published membership matrix's row space).

    `published` and `hidden` map a cell's key to its units (indices 0…n_units−1). An empty list means safe.
    """
    cells = [_indices(m) for m in published.values()]
    space = _RowSpace(cells, n_units)
    found: list[Violation] = []
    for atoms in space.small_sets(min_firms):
        units = space.units_of(atoms)
        if space.uncovered[list(units)].any():
            continue  # units in no published cell: a row-space vector is 0 there
        found.append(Violation(units, None))
        if first_only:
            return found
    for key, members in (hidden or {}).items():
        idx = _indices(members)
        if _in(space, idx):
            found.append(Violation(tuple(int(u) for u in idx), key))
            if first_only:
                return found
    return found


def _level(key: Key) -> int:
    name = key[0] if isinstance(key, tuple) and key else key
    return LEVELS.index(name) if name in LEVELS else 0


def protect(cells: Mapping[Key, Iterable[int]], n_units: int, *, fixed: Mapping[Key, Iterable[int]] | None = None,
            start_hidden: Iterable[Key] = (), min_firms: int = MIN_FIRMS) -> Pattern:
    """The cells that may be published: fewer than `min_firms` units are hidden ("too_few"), then, while
    `violations` finds anything, the smallest shown cell whose hiding removes that violation is hidden
    ("protects"; equal sizes: the finest level first, as `LEVELS` orders them).

    `fixed` are cells an attacker already holds (an earlier view): they count as published and cannot be
    hidden. `start_hidden` are cells to hide from the start (an earlier pattern, so hiding only grows).
    Keys may be tuples (grouping, group), whose first element names the level.
    """
    members = {k: _indices(v) for k, v in cells.items()}
    fixed_members = {("fixed", k): _indices(v) for k, v in (fixed or {}).items()}
    hidden: dict[Key, str] = {k: TOO_FEW for k, m in members.items() if len(m) < min_firms}
    hidden |= {k: PROTECTS for k in start_hidden if k in members and k not in hidden}
    known = _RowSpace(list(fixed_members.values()), n_units) if fixed_members else None
    while True:
        shown = {k: m for k, m in members.items() if k not in hidden}
        guarded = {k: members[k] for k in hidden if known is None or not _in(known, members[k])}
        found = violations(shown | fixed_members, n_units, hidden=guarded, min_firms=min_firms, first_only=True)
        if not found or not shown:  # with nothing left to hide, what remains is the earlier view's own
            return Pattern(frozenset(shown), hidden)
        hidden[_complement(found[0], shown, fixed_members, n_units)] = PROTECTS


def _in(space: _RowSpace, members: np.ndarray) -> bool:
    """Whether a unit set's total is a linear combination of the space's cells' totals."""
    if not len(members) or space.uncovered[members].any():
        return False
    vector = space.atom_vector(members)
    return vector is not None and space.contains(vector)


def _complement(found: Violation, shown: Mapping[Key, np.ndarray], fixed: Mapping[Key, np.ndarray], n_units: int) -> Key:
    """The shown cell to hide against a violation: the smallest whose hiding alone takes the violating set out
    of the row space; if no single cell does, the smallest with weight in the least-squares combination."""
    order = sorted(shown, key=lambda k: (len(shown[k]), _level(k), str(k)))
    target = np.zeros(n_units)
    target[list(found.units)] = 1.0
    for key in order:
        rest = [m for k, m in shown.items() if k != key] + list(fixed.values())
        if not _in(_RowSpace(rest, n_units), np.asarray(found.units, dtype=np.int64)):
            return key
    matrix = np.zeros((len(order), n_units))
    for i, key in enumerate(order):
        matrix[i, shown[key]] = 1.0
    weights, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
    return next((k for k, w in zip(order, weights) if abs(w) > 1e-7), order[0])
