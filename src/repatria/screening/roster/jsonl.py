"""JSON Lines rosters: one assessment document per line, decoded in bulk by Polars.

Polars' decoder is lenient where the per-case parser is strict (it drops unknown keys and
turns numbers into text), so every line that might differ is set aside for the exact parser:
lines with an escape, with a key the decoded document does not account for, with a non-text
value for a free-text field, or that Polars cannot decode with the document's types.
"""

from __future__ import annotations

import polars as pl
from polars.exceptions import ComputeError, SchemaError

from repatria.law import AUTHORITY_IDS
from repatria.screening.fields import FIELDS, GROUP_COLUMNS, GROUPS, Kind

_TEXT_KINDS = {Kind.BOOL: pl.Boolean(), Kind.INT: pl.Int64(), Kind.NUMBER: pl.Float64()}


def _leaf(kind: Kind) -> pl.DataType:
    if kind is Kind.COUNTRIES:
        return pl.List(pl.String())
    return _TEXT_KINDS.get(kind, pl.String())


def document_dtype() -> pl.Struct:
    """The nested type Polars decodes a document line into (dates and codes as text)."""
    tree: dict[str, dict[str, pl.DataType] | pl.DataType] = {}
    for name, kind in FIELDS.items():
        head, _, member = name.partition(".")
        if member:
            part = tree.setdefault(head, {})
            assert isinstance(part, dict)
            part[member] = _leaf(kind)
        else:
            tree[head] = _leaf(kind)
    for group, members in GROUPS.items():
        tree[group] = pl.List(pl.Struct({m: _leaf(kind) for m, kind in members.items()}))
    return pl.Struct({k: pl.Struct(v) if isinstance(v, dict) else v for k, v in tree.items()})


def _flatten(decoded: pl.Expr) -> list[pl.Expr]:
    columns = []
    for name in FIELDS:
        expr = decoded
        for part in name.split("."):
            expr = expr.struct.field(part)
        columns.append(expr.alias(name))
    columns += [decoded.struct.field(group).alias(group) for group in GROUPS]
    return columns


# A boolean or a decimal where the document wants a whole number, or a boolean for a number
# (one pattern each: a single literal prefix lets the regex engine skip ahead quickly).
_NOT_WHOLE = (
    r'"length_days"\s*:\s*(?:[tf]|-?[0-9]+[.eE])',
    r'"credit_days"\s*:\s*(?:[tf]|-?[0-9]+[.eE])',
    r'"years_in_sending_state"\s*:\s*[tf]',
)
# A text where the document wants a list of codes: Polars reads "MX" as ["MX"], the exact
# parser refuses it (`person.citizenships`, `removal_order.designated_countries`, `exceptions.by`).
_TEXT_FOR_LIST = tuple(
    rf'"{name.rpartition(".")[2]}"\s*:\s*"'
    for name, kind in [*FIELDS.items(), *GROUP_COLUMNS.items()]
    if kind is Kind.COUNTRIES
)


def _keys_accounted(decoded: pl.Expr) -> pl.Expr:
    """How many keys with non-null values the decoded document holds, at every level."""
    counts = []
    dtype = document_dtype()
    for field in dtype.fields:
        value = decoded.struct.field(field.name)
        counts.append(value.is_not_null().cast(pl.UInt32))
        if isinstance(field.dtype, pl.Struct):
            counts += [
                value.struct.field(m.name).is_not_null().cast(pl.UInt32) for m in field.dtype.fields
            ]
        elif field.name in GROUPS:
            per_entry = pl.sum_horizontal(
                pl.element().struct.field(m).is_not_null().cast(pl.UInt32)
                for m in GROUPS[field.name]
            )
            counts.append(value.list.eval(per_entry).list.sum().fill_null(0).cast(pl.UInt32))
    return pl.sum_horizontal(counts)


def _suspicious(line: pl.Expr, decoded: pl.Expr) -> pl.Expr:
    """Lines Polars may read differently from the exact parser (see the module's docstring)."""
    # Without escapes, every `":` ends a key and every `null` is a null value (a `null` inside
    # a text or a list only makes the counts differ, which sends the line to the exact path).
    keys = line.str.count_matches('":', literal=True)
    nulls = line.str.count_matches("null", literal=True)
    # Polars turns true into 1 and 12.5 into 12 for a whole number, and "MX" into ["MX"] for a
    # list; the exact parser refuses them.
    coerced = [line.str.contains(pattern) for pattern in (*_NOT_WHOLE, *_TEXT_FOR_LIST)]
    # A key with white space before its colon is not counted above, so it could hide a key
    # given twice: such lines go to the exact parser (two literal scans: cheap).
    spaced = line.str.contains('" :', literal=True) | line.str.contains('"\t:', literal=True)
    return pl.any_horizontal(
        spaced,
        line.str.contains("\\", literal=True),
        keys != _keys_accounted(decoded) + nulls,
        *coerced,
    )


def _coerced_text() -> pl.Expr:
    """Free-text values that may be a JSON number, boolean, object or list turned to text.

    Polars reads `"authority": 5` as the text "5"; the exact parser refuses it. An authority
    that is not a known id, or a free-text member of a list's entry (a hold's `kind`, an
    exception's `reason`) that looks like a number, goes to the exact parser.
    """
    known = pl.Series(["", *AUTHORITY_IDS]).implode()
    odd = pl.lit(False)
    for name in ("authority", "removal_authority"):
        odd = odd | ~pl.col(name).is_in(known).fill_null(True)
    looks_coerced = r"^(?:[-0-9\[{]|true$|false$)"
    for group, members in GROUPS.items():
        for member, kind in members.items():
            if kind is Kind.TEXT:
                texts = pl.element().struct.field(member).str.contains(looks_coerced)
                odd = odd | pl.col(group).list.eval(texts).list.any().fill_null(False)
    return odd


def _decode(lines: pl.DataFrame) -> tuple[list[pl.DataFrame], list[int]]:
    """Decoded chunks, and the rows of lines that cannot be decoded with the types."""
    try:
        decoded = lines.select(
            "row", "line", pl.col("line").str.json_decode(document_dtype()).alias("_doc")
        )
        return [decoded], []
    except (ComputeError, SchemaError):
        if lines.height == 1:
            return [], [int(lines["row"][0])]
    half = lines.height // 2
    first, failed_first = _decode(lines.slice(0, half))
    second, failed_second = _decode(lines.slice(half))
    return first + second, failed_first + failed_second


def read_jsonl(lines: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series, pl.Series, pl.DataFrame]:
    """Raw roster columns of the lines (`row`, `line`) Polars can decode, which of them to
    parse exactly, the rows of lines it cannot decode, and every (row, line). Empty lines are
    skipped."""
    lines = lines.with_columns(pl.col("row").cast(pl.Int64)).filter(pl.col("line") != "")
    chunks, failed = _decode(lines)
    frame = (
        pl.concat(chunks).rechunk()  # one chunk: Polars' decoder leaves hundreds
        if chunks
        else lines.clear().with_columns(pl.lit(None, document_dtype()).alias("_doc"))
    )
    doc = pl.col("_doc")
    raw = frame.select("row", *_flatten(doc), _suspicious(pl.col("line"), doc).alias("_odd"))
    raw = raw.with_columns(pl.col("_odd") | _coerced_text())
    undecoded = pl.Series("row", failed, dtype=pl.Int64)
    return raw.drop("_odd"), raw["_odd"].fill_null(True), undecoded, lines
