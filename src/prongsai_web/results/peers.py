"""Where an agency stands among its peers in one ITA year: rank and percentile, per indicator and
overall, from the figures stored with every result set (never by analysing the peers again).

Peers are the agencies with results for that year in the same province, and among them those of the
same agency type. For each measure (overall, indicator n) only the peers with a figure for it count,
the agency itself included. Scores are compared at two decimals, as they are shown.

- rank: 1 + the number of peers with a higher score (ties share the best rank: 1, 2, 2, 4);
- percentile: the share of the *other* peers with a lower score, a tie counting half:
  ``100 * (lower + (equal - 1) / 2) / (peers - 1)``; 100 is above every other peer, 0 below every
  other, 50 the middle; none when the agency is its only peer.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from prongsai.agency import normalise_type

PLACES = 2  # compared as shown: two decimals


@dataclass(frozen=True)
class Standing:
    rank: int | None  # None when the agency has no figure for this measure
    peers: int  # peers with a figure, the agency included
    percentile: float | None


@dataclass(frozen=True)
class PeerFigures:
    """One peer's stored figures for the year."""

    agency_id: int
    agency_type: str
    overall: float | None
    indicators: Mapping[int, float | None]

    def measure(self, key: str) -> float | None:
        return self.overall if key == "overall" else self.indicators.get(int(key))


def ranked(scores: Iterable[float]) -> list[float]:
    """Scores as compared (two decimals), lowest first: what ``standing_in`` takes."""
    return sorted(round(s, PLACES) for s in scores)


def standing_in(own: float | None, ranked_scores: Sequence[float]) -> Standing:
    """The rank and percentile of ``own`` among ``ranked_scores`` (``ranked``: every peer's figure,
    own included, rounded and sorted)."""
    peers = len(ranked_scores)
    if own is None:
        return Standing(None, peers, None)
    mine = round(own, PLACES)
    lower = bisect_left(ranked_scores, mine)
    higher = peers - bisect_right(ranked_scores, mine)
    equal = peers - higher - lower
    percentile = None if peers < 2 else 100.0 * (lower + (equal - 1) / 2) / (peers - 1)
    return Standing(higher + 1, peers, percentile)


def standing(own: float | None, scores: Iterable[float]) -> Standing:
    """The rank and percentile of ``own`` among ``scores`` (every peer's figure, own included)."""
    return standing_in(own, ranked(scores))


def type_key(agency_type: str) -> str:
    """The type peers are grouped by: the full name ('ทต.' is เทศบาลตำบล); blank stays blank."""
    return (normalise_type(agency_type) or agency_type) if agency_type else ""


def same_type(a: str, b: str) -> bool:
    """Whether two recorded agency types are one type; a blank type matches none."""
    return bool(a and b) and type_key(a) == type_key(b)


def distribution(figures: Iterable[PeerFigures], measures: Sequence[str]) -> dict[str, list[float]]:
    """``measure`` -> the figures of ``figures`` for it, ranked (peers without one left out)."""
    rows = list(figures)
    return {key: ranked(v for f in rows if (v := f.measure(key)) is not None) for key in measures}


@dataclass(frozen=True)
class PeerTable:
    """A province's ranked figures for one year: of every agency in it, and per agency type."""

    province: Mapping[str, list[float]]
    by_type: Mapping[str, Mapping[str, list[float]]]

    def standings(self, own: PeerFigures) -> dict[str, dict[str, Standing]]:
        """'province' and 'type' -> measure -> the standing of ``own`` (one of the table's rows; an
        agency of no recorded type is the only one of its type)."""
        kind = type_key(own.agency_type)
        same = self.by_type[kind] if kind in self.by_type else distribution([own], list(self.province))
        return {
            "province": {k: standing_in(own.measure(k), v) for k, v in self.province.items()},
            "type": {k: standing_in(own.measure(k), v) for k, v in same.items()},
        }


def peer_table(figures: Iterable[PeerFigures], measures: Sequence[str]) -> PeerTable:
    """The ranked figures of a province's agencies (``figures``), overall and per type."""
    rows = list(figures)
    types = sorted({type_key(f.agency_type) for f in rows} - {""})
    by_type = {t: distribution((f for f in rows if type_key(f.agency_type) == t), measures) for t in types}
    return PeerTable(distribution(rows, measures), by_type)
