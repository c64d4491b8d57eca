"""Every refusal people read is a marked sentence (issue 20): a domain error raised with a
message written in the code (a literal or an f-string) is English on a Spanish page. Raise it
with N_("… %(name)s …", name=value) instead (docs/web.md, "Refusals").

Left out: what only the installation's operator or a peer installation reads (key and
witness files, the exchange between states, the CLI and its file imports), which stays English.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src/repatria"
READ_BY_PEOPLE = [
    SRC / "domain",
    SRC / "services",
    SRC / "entrypoints/web",
    SRC / "law",
    SRC / "screening/roster",
]
OPERATOR_ONLY = {
    "services/audit_keys.py",
    "services/importing.py",
    "services/exchange/keys.py",
    "services/exchange/peers.py",
    "services/exchange/receiving.py",
}
# The field comes first in these, then the reason.
NAMING_A_FIELD = {"InvalidInput", "InvalidDocument"}
REFUSALS = {
    "Conflict",
    *NAMING_A_FIELD,
    "InvalidValue",
    "PermissionDenied",
    "NotAuthenticated",
    "SignInRefused",
    "MovementStepNotAllowed",
    "ContractNotInForce",
    "ContractCapReached",
    "PasswordsSwitchedOff",
    "PasswordChangeRequired",
    "SecurityKeyRequired",
}


def _unmarked(path: Path) -> list[int]:
    """The lines of the file that raise a refusal with a message written in the code."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        name = getattr(node.exc.func, "id", getattr(node.exc.func, "attr", ""))
        if name not in REFUSALS or not node.exc.args:
            continue
        said = node.exc.args[1 if name in NAMING_A_FIELD and len(node.exc.args) > 1 else 0]
        if isinstance(said, ast.Constant | ast.JoinedStr):  # written here, never translated
            found.append(node.lineno)
    return found


def test_the_check_finds_a_refusal_written_in_the_code(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'raise Conflict(f"case {n} is full")\n'
        'raise InvalidInput("days", "must be positive")\n'
        'raise InvalidInput("days", N_("must be positive"))\n'
        "raise Conflict(reason)\n"
        'raise InvalidDocument("key", f"appears twice in {where}")\n'
    )
    assert _unmarked(sample) == [1, 2, 5]


def test_every_refusal_people_read_is_marked_for_translation() -> None:
    unmarked = [
        f"{path.relative_to(SRC)}:{line}"
        for root in READ_BY_PEOPLE
        for path in sorted(root.rglob("*.py"))
        if str(path.relative_to(SRC)) not in OPERATOR_ONLY
        for line in _unmarked(path)
    ]
    assert not unmarked, "mark these with N_ and named placeholders:\n" + "\n".join(unmarked)
