"""A small expression language for checks, with three-valued logic (None is unknown).

Each check is written once (`law/checks/`) as ordered branches whose conditions are these
expressions. Two targets read the same definition: `run` here answers for one document, and
`repatria.screening.compile` turns it into a Polars expression for a whole roster. A missing
fact makes a comparison unknown; `&` and `|` follow Kleene's logic (false & unknown is false,
true | unknown is true), as Polars does, and a branch is taken only when its condition is true.

The language is split by concept: `nodes` (the environment, facts, comparisons and logic),
`lists` (citizenships, holds, orders), `dates` (calendar arithmetic), `parties` (an
authority's party chart) and `decisions` (branches, outcomes, reasons). Every name is
re-exported here, so a check imports from `repatria.law.expr` alone.
"""

from repatria.law.expr.dates import AddDays, AddMonths, AgeOn, HoursBetween, LaterOf
from repatria.law.expr.decisions import (
    Branch,
    Decide,
    Leaf,
    OutcomeIs,
    ReasonOf,
    Text,
    decide,
    failing,
    fails,
    passes,
    passing,
    run,
    text,
    unknown,
    waived,
)
from repatria.law.expr.lists import AnyEntry, Contains, FirstEntry, Intersects, MemberContains
from repatria.law.expr.nodes import (
    And,
    Arithmetic,
    Coalesce,
    Compare,
    Const,
    Env,
    Expr,
    Fact,
    Field,
    IfElse,
    IsIn,
    IsNull,
    Member,
    Movement,
    Not,
    Or,
    all_of,
    any_of,
    lift,
    read_field,
)
from repatria.law.expr.parties import (
    AuthorityRef,
    BoundOn,
    Listed,
    PartyFrom,
    binding_entry,
    bound_on,
    covers,
)

__all__ = [
    "AddDays",
    "AddMonths",
    "AgeOn",
    "And",
    "AnyEntry",
    "Arithmetic",
    "AuthorityRef",
    "BoundOn",
    "Branch",
    "Coalesce",
    "Compare",
    "Const",
    "Contains",
    "Decide",
    "Env",
    "Expr",
    "Fact",
    "Field",
    "FirstEntry",
    "HoursBetween",
    "IfElse",
    "Intersects",
    "IsIn",
    "IsNull",
    "LaterOf",
    "Leaf",
    "Listed",
    "Member",
    "MemberContains",
    "Movement",
    "Not",
    "Or",
    "OutcomeIs",
    "PartyFrom",
    "ReasonOf",
    "Text",
    "all_of",
    "any_of",
    "binding_entry",
    "bound_on",
    "covers",
    "decide",
    "failing",
    "fails",
    "lift",
    "passes",
    "passing",
    "read_field",
    "run",
    "text",
    "unknown",
    "waived",
]
