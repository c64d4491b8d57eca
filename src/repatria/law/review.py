"""What a reviewer of the law data needs to see: completeness, and every fact short of
verified law (unverified, agency policy, a project default), authority by authority."""

from __future__ import annotations

from dataclasses import dataclass

from repatria.law.catalog import LawCatalog
from repatria.law.schema import Authority


@dataclass(frozen=True)
class Caveat:
    """One fact of an authority's law data that a verdict may rest on with a caveat."""

    authority: str
    kind: str  # party, rule, value or ruling
    what: str
    verified: bool
    basis: str
    source: str


def completeness(authority: Authority) -> str:
    """Plain words for whether the authority's party list is complete, and per which source."""
    listed = authority.party_list
    if authority.kind == "custody":
        return "agreements listed"
    if listed is None:
        return "not known to be complete"
    if listed.complete:
        return f"complete as of {listed.as_of}"
    return "not complete"


def caveats(catalog: LawCatalog, authority: Authority) -> list[Caveat]:
    """Every party, rule and dated value an assessment under the authority may use that is
    not verified, or rests on policy or a project default."""
    found = [
        Caveat(authority.id, "party", f"{p.state} from {p.from_}", p.verified, p.basis, p.source)
        for p in authority.parties
        if not p.verified or p.basis != "law"
    ]
    for owner, rule in catalog.rules_for(authority.id):
        if not rule.verified or rule.basis != "law":
            what = f"{owner.id}/{rule.id}"
            found.append(Caveat(authority.id, "rule", what, rule.verified, rule.basis, rule.source))
    for owner in catalog.rule_sources(authority):
        for name, parameter in owner.parameters.items():
            for entry in parameter.values:
                if not entry.verified or entry.basis != "law":
                    what = f"{owner.id}: {name} from {entry.from_} = {entry.value}"
                    found.append(
                        Caveat(
                            authority.id, "value", what, entry.verified, entry.basis, entry.source
                        )
                    )
    return found
