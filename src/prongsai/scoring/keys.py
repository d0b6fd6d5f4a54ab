"""Several key columns packed into one 64-bit integer, for the one pass over individual answers.

Hashing one number per row is much cheaper than hashing five columns, and that pass is most of the
work of ``prongsai score``. A column packs when its values come from a set known before reading:
an Enum (the code of its category, as Polars reads dictionary-encoded Parquet written by
``prongsai synth``) or an integer of up to 32 bits; a null gets a code of its own, so packing
loses nothing. Text columns (CSV) do not pack; the pass then groups by the columns themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

WIDTHS: Mapping[type[pl.DataType], tuple[int, int]] = {  # integer type -> (bits, smallest value)
    pl.Int8: (8, -(1 << 7)),
    pl.Int16: (16, -(1 << 15)),
    pl.Int32: (32, -(1 << 31)),
    pl.UInt8: (8, 0),
    pl.UInt16: (16, 0),
    pl.UInt32: (32, 0),
}


@dataclass(frozen=True)
class Code:
    """One column as a small non-negative integer (UInt64, nulls included), and the way back."""

    name: str
    expr: pl.Expr
    bits: int
    null: int  # the code of a missing value
    values: Callable[[pl.Series], pl.Series]  # codes -> the column's values, of the column's type


def code_of(name: str, dtype: pl.DataType, nulls: bool = True) -> Code | None:
    """The column's code, or None when its values are not a set known in advance.

    Without ``nulls`` a missing value shares the first value's code (one bit fewer), for counts
    that are only used once the input is known to have no missing value.
    """
    if isinstance(dtype, pl.Enum):
        categories = dtype.categories.cast(dtype)
        size = len(categories)

        def from_category(codes: pl.Series) -> pl.Series:
            index = codes.to_frame("c").select(pl.when(pl.col("c") < size).then(pl.col("c"))).to_series()
            return categories.gather(index).alias(name)

        null = size if nulls else 0
        expr = pl.col(name).to_physical().cast(pl.UInt64).fill_null(null)
        return Code(name, expr, (size if nulls else max(size - 1, 0)).bit_length(), null, from_category)
    width = WIDTHS.get(dtype.base_type())
    if width is None:
        return None
    bits, low = width

    def from_integer(codes: pl.Series) -> pl.Series:
        value = pl.when(pl.col("c") < (1 << bits)).then(pl.col("c").cast(pl.Int64) + low)
        return codes.to_frame("c").select(value.cast(dtype)).to_series().alias(name)

    null = 1 << bits if nulls else 0
    expr = (pl.col(name).cast(pl.Int64) - low).cast(pl.UInt64).fill_null(null)
    return Code(name, expr, bits + 1 if nulls else bits, null, from_integer)


@dataclass(frozen=True)
class Packing:
    codes: tuple[Code, ...]  # the first column in the highest bits

    @property
    def bits(self) -> int:
        return sum(code.bits for code in self.codes)

    def expr(self) -> pl.Expr:
        """The packed key of a row."""
        key: pl.Expr | None = None
        for code in self.codes:
            key = code.expr if key is None else key * _power(code.bits) + code.expr
        assert key is not None
        return key

    def unpack(self, keys: pl.Series) -> list[pl.Series]:
        """Packed keys -> the packed columns, each of its own type."""
        columns: list[pl.Series] = []
        shift = self.bits
        for code in self.codes:
            shift -= code.bits
            part = keys.to_frame("k").select(pl.col("k") // _power(shift) % _power(code.bits))
            columns.append(code.values(part.to_series()))
        return columns


def _power(bits: int) -> pl.Expr:
    return pl.lit(1 << bits, dtype=pl.UInt64)


def packing(
    schema: Mapping[str, pl.DataType], names: Sequence[str], limit: int = 64, nulls: bool = True
) -> Packing | None:
    """Pack these columns when every one has a code and they fit in ``limit`` bits together."""
    codes = [code_of(name, schema[name], nulls) for name in names]
    if any(code is None for code in codes):
        return None
    packed = Packing(tuple(code for code in codes if code is not None))
    return packed if packed.bits <= limit else None
