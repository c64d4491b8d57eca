"""Screening results: written by the file's suffix, and summarised per authority."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from repatria.csv_export import FORMULA_START_PATTERN

RESULT_SUFFIXES = (".parquet", ".csv", ".jsonl", ".ndjson")


def write_results(results: pl.DataFrame, path: Path) -> None:
    """Write results as Parquet, CSV or JSON Lines, chosen by the path's suffix."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        results.write_parquet(path)
    elif suffix == ".csv":
        # Text from the roster must not run as a formula in a spreadsheet (csv_export).
        quoted = pl.col(pl.String).str.replace(FORMULA_START_PATTERN, "'$0")
        results.with_columns(quoted).write_csv(path)
    elif suffix in (".jsonl", ".ndjson"):
        results.write_ndjson(path)
    else:
        raise ValueError(f"{path.name}: expected one of {', '.join(RESULT_SUFFIXES)}")


def summary(results: pl.DataFrame) -> pl.DataFrame:
    """Per authority (none: no authority in force): results, allowed, refused, and the
    ground most often among the refusals."""
    refused = results.filter(~pl.col("allowed")).select(
        "authority", pl.col("grounds").cast(pl.String).str.split(";").alias("ground")
    )
    top = (
        refused.explode("ground")
        .group_by("authority", "ground")
        .len()
        .sort("len", "ground", descending=[True, False])
        .group_by("authority", maintain_order=True)
        .first()
        .select("authority", pl.col("ground").alias("most_common_ground"))
    )
    counts = results.group_by("authority").agg(
        pl.len().alias("results"),
        pl.col("allowed").sum().alias("allowed"),
        (~pl.col("allowed")).sum().alias("refused"),
    )
    return (
        counts.join(top, on="authority", how="left", nulls_equal=True)
        .with_columns(pl.col("most_common_ground").fill_null(""))
        .sort("authority", nulls_last=True)
    )
