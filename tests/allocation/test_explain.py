"""Why someone could not be placed, in the reader's language (issue 20)."""

from __future__ import annotations

from repatria import i18n
from repatria.allocation import AllocationRequest, Person, Place, allocate


def test_the_reason_a_person_was_not_placed_reads_in_spanish() -> None:
    people = tuple(Person(f"p{n}", "max") for n in range(3))
    request = AllocationRequest(people, (Place("c", "max", 2),), "CPT")
    with i18n.use_locale("es_SV"):
        [unplaced] = allocate(request).unplaced
    assert unplaced.constraint == "capacity"  # the code stays the same in every language
    assert unplaced.reason == "ninguna celda de nivel de seguridad «max» tiene cupo conforme a CPT"
