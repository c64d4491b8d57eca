"""Cross-file checks of law data: includes, check names, parameters and their kinds."""

from __future__ import annotations

from repatria.law.checks import CHECKS
from repatria.law.errors import LawDataError
from repatria.law.schema import Authority, Parameter, Rule, RuleSet


def _parameter(
    name: str, authority: Authority, owner: RuleSet, files: dict[str, str]
) -> tuple[Parameter, str]:
    # An authority may override a shared rule set's parameter by defining one of the same name.
    for source in (authority, owner):
        if name in source.parameters:
            return source.parameters[name], files[source.id]
    raise LawDataError(files[owner.id], f"parameter {name!r} is not defined (for {authority.id})")


def _check_rule(rule: Rule, owner: RuleSet, authority: Authority, files: dict[str, str]) -> None:
    spec = CHECKS.get(rule.check)
    if spec is None:
        raise LawDataError(files[owner.id], f"rule {rule.id!r} names unknown check {rule.check!r}")
    if set(spec.params) != set(rule.params):
        expected = ", ".join(sorted(spec.params)) or "none"
        raise LawDataError(
            files[owner.id], f"rule {rule.id!r}: check {rule.check!r} takes params {expected}"
        )
    for argument, name in rule.params.items():
        parameter, file = _parameter(name, authority, owner, files)
        for entry in parameter.values:
            for value in (entry.value, *entry.by_state.values()):
                if not spec.params[argument](value):
                    raise LawDataError(
                        file,
                        f"parameter {name!r} from {entry.from_}: {value!r} does not suit"
                        f" {argument!r} of check {rule.check!r}",
                    )


def check_references(
    authorities: dict[str, Authority], rule_sets: dict[str, RuleSet], files: dict[str, str]
) -> None:
    """Raise LawDataError, naming the file, for any reference that does not resolve."""
    for authority in authorities.values():
        for name in authority.includes:
            if name not in rule_sets:
                raise LawDataError(files[authority.id], f"includes unknown rule set {name!r}")
        for owner in [authority, *(rule_sets[name] for name in authority.includes)]:
            for rule in owner.rules:
                _check_rule(rule, owner, authority, files)
