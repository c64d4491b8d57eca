"""Why someone could not be placed: the first hard constraint that leaves them no cell."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from repatria.allocation.model import AllocationRequest, Person, SeparationNote, Unplaced
from repatria.allocation.pairs import PairIndex
from repatria.i18n import N_
from repatria.i18n import gettext as _

SEPARATION_ONLY = N_("used only to keep rival groups apart; it is not a legal ground for anything")


def explain_unplaced(
    request: AllocationRequest, placements: Mapping[str, str], unplaced_ids: Iterable[str]
) -> tuple[Unplaced, ...]:
    """For each person left out, name the constraint that closes the last cell to them."""
    people = {p.id: p for p in request.people}
    count: dict[str, int] = defaultdict(int)
    groups_in: dict[str, set[str]] = defaultdict(set)
    for pid, cid in placements.items():
        count[cid] += 1
        affiliation = people[pid].affiliation if pid in people else None
        if affiliation is not None:
            groups_in[cid].add(affiliation.group)
    enemies: dict[str, set[str]] = defaultdict(set)
    for a, b in request.rivalries:
        enemies[a].add(b)
        enemies[b].add(a)
    pairs = PairIndex(request)
    reasons = []
    for pid in unplaced_ids:
        person = people[pid]
        level = [c for c in request.places if c.security_level == person.security_level]
        room = [c for c in level if count[c.id] < c.limit]
        group = person.affiliation.group if person.affiliation is not None else None
        calm = [c for c in room if not (group and enemies[group] & groups_in[c.id])]
        partners = sorted(q for q in pairs.apart.get(pid, ()) if q in placements)
        free = [c for c in calm if all(placements[q] != c.id for q in partners)]
        if not level:
            reasons.append(Unplaced(pid, "security_level", _no_level(person)))
        elif not room:
            text = _(
                "no cell of security level '%(level)s' has room under %(standard)s",
                level=person.security_level,
                standard=request.standard,
            )
            reasons.append(Unplaced(pid, "capacity", text))
        elif not calm:
            reasons.append(Unplaced(pid, "rival_groups", _rivals(person, request.standard)))
        elif not free:
            text = _("keep-apart with %(people)s leaves no cell", people=", ".join(partners))
            reasons.append(Unplaced(pid, "keep_apart", text))
        else:
            text = _("a cell had room, but the solver stopped at its time limit before using it")
            reasons.append(Unplaced(pid, "time_limit", text))
    return tuple(reasons)


def _no_level(person: Person) -> str:
    return _("no cell of security level '%(level)s'", level=person.security_level)


def _rivals(person: Person, standard: str) -> str:
    affiliation = person.affiliation
    assert affiliation is not None  # only an affiliated person can be blocked by rivals
    if affiliation.verified:
        text = N_(
            "every cell of security level '%(level)s' with room under %(standard)s holds a "
            "rival of group '%(group)s' (verified affiliation, %(only)s)"
        )
    else:
        text = N_(
            "every cell of security level '%(level)s' with room under %(standard)s holds a "
            "rival of group '%(group)s' (UNVERIFIED affiliation, %(only)s)"
        )
    return _(
        text,
        level=person.security_level,
        standard=standard,
        group=affiliation.group,
        only=_(SEPARATION_ONLY),
    )


def separation_notes(request: AllocationRequest) -> tuple[SeparationNote, ...]:
    """A note for each affiliation the allocator used to separate people, saying how it was used."""
    rivals = request.rival_groups()
    notes = []
    for person in request.people:
        affiliation = person.affiliation
        if affiliation is None or affiliation.group not in rivals:
            continue
        if affiliation.verified:
            said = N_(
                "verified affiliation with '%(group)s' (source: %(source)s, %(day)s): %(only)s"
            )
        else:
            said = N_(
                "UNVERIFIED affiliation with '%(group)s' (source: %(source)s, %(day)s): %(only)s"
            )
        text = _(
            said,
            group=affiliation.group,
            source=affiliation.source,
            day=affiliation.recorded_on.isoformat(),
            only=_(SEPARATION_ONLY),
        )
        notes.append(
            SeparationNote(
                person.id,
                affiliation.group,
                affiliation.source,
                affiliation.recorded_on,
                affiliation.verified,
                text,
            )
        )
    return tuple(notes)
