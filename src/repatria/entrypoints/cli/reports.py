"""What a command prints after it changed a case."""

from __future__ import annotations

from rich.console import Console

from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case

console = Console(soft_wrap=True)


def report_step(case: Case, assessment: Assessment) -> None:
    """Say where the case now is, on which legal basis, and which checks are still open."""
    console.print(
        f"case {case.reference} is now {case.state.value} (legal basis: assessment {assessment.id})"
    )
    for check in assessment.verdict["checks"]:
        if check["outcome"] != "pass":
            console.print(
                f"  still {check['outcome']}: {check['ground']}: {check['reason']} "
                f"({check['citation']})"
            )


def recorded(what: str, case: Case) -> None:
    """Say what was recorded on the case, and where the case now is."""
    console.print(
        f"recorded {what} on case {case.reference} ({case.state.value}, version {case.version})"
    )
