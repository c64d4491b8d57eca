"""`--authority all`: every authority in force between `from` and each state of nationality."""

from __future__ import annotations

import numpy as np
import polars as pl

from repatria.law import AUTHORITY_IDS
from repatria.law.catalog import LawCatalog
from repatria.law.checks.parties import binds
from repatria.screening.compile import ENGINE, Columns, condition
from repatria.screening.fields import COUNTRY

SOURCE = "_source"  # the position of a target's document in the roster
AUTHORITY_CODE = "_authority"  # the position of the authority in the list of names screened


_NO_STATE = pl.lit([None], pl.List(COUNTRY))


def _destination_or_first(pairs: pl.DataFrame) -> pl.Series:
    """Rows naming a destination, and the first row of a source that names none."""
    sources = pairs[SOURCE].to_numpy()
    named = pairs["to"].is_not_null().to_numpy()
    starts = np.flatnonzero(np.r_[True, sources[1:] != sources[:-1]])
    any_named = np.maximum.reduceat(named, starts) if len(starts) else named
    first = np.zeros(len(sources), dtype=bool)
    first[starts] = ~any_named
    return pl.Series(named | first)


def targets_for_all(roster: pl.DataFrame, catalog: LawCatalog) -> pl.DataFrame:
    """(source, to, authority code) for every state of nationality other than `from` and
    every authority in force with it on the date, in that order; a null code where none is,
    and a null `to` where no state of nationality other than `from` is known.

    Authority codes are positions in `AUTHORITY_IDS`.
    """
    pairs = roster.select(SOURCE, "from", "as_of", pl.col("person.citizenships").alias("to"))
    pairs = pairs.with_columns(
        pl.when(pl.col("to").list.len() > 0).then(pl.col("to")).otherwise(_NO_STATE)
    ).explode("to")
    pairs = pairs.with_columns(
        pl.when(pl.col("to") != pl.col("from")).then(pl.col("to")).alias("to")
    )
    pairs = pairs.filter(_destination_or_first(pairs))
    # Whether an authority binds depends only on (from, to, as_of): decide each triple once.
    key = (
        pl.col("from").to_physical().cast(pl.Int64) * 1024
        + pl.col("to").to_physical().cast(pl.Int64).fill_null(1023)
    ) * 1_000_000 + pl.col("as_of").cast(pl.Int64)
    pairs = pairs.with_columns(key.alias("_key"))
    contexts = pairs.unique("_key").select("_key", "from", "to", "as_of")
    bits = pl.lit(0, pl.UInt64)
    for index, name in enumerate(AUTHORITY_IDS):
        authority = catalog.authorities[name]
        bound = condition(binds(authority), Columns(authority, catalog))
        bits = bits | (bound.cast(pl.UInt64) * (1 << index))
    # Lazily, so that Polars computes each party chart's look-up once (common subexpressions).
    contexts = contexts.lazy().select("_key", bits.alias("_bits")).collect(engine=ENGINE)
    found = pairs.join(contexts, on="_key", how="left", maintain_order="left")["_bits"]
    # Each set of authorities that occurs, as the list of their codes (a null code for none).
    patterns = found.unique().sort().to_list()
    table: list[list[int | None]] = [
        [i for i in range(len(AUTHORITY_IDS)) if pattern & (1 << i)] or [None]
        for pattern in patterns
    ]
    position = found.replace_strict(patterns, list(range(len(patterns))), return_dtype=pl.UInt32)
    codes = pl.Series(table, dtype=pl.List(pl.UInt16)).gather(position)
    pairs = pairs.with_columns(codes.alias(AUTHORITY_CODE))
    return pairs.select(SOURCE, "to", AUTHORITY_CODE).explode(AUTHORITY_CODE)
