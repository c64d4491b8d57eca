"""The peers repository on SQLAlchemy (services/ports/peers.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.services.ports.peers import PinnedKey, SeenCheckpoint, StoredPeer

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlPeers:
    """Peers in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def find(self, state: str) -> StoredPeer | None:
        """The peer of that state with its keys (in the order they were pinned), or None."""
        session = self._uow.session
        row = session.execute(select(t.peers).where(t.peers.c.state == state)).first()
        if row is None:
            return None
        keys = session.execute(
            select(t.peer_keys).where(t.peer_keys.c.peer_id == row.id).order_by(t.peer_keys.c.id)
        )
        return StoredPeer(
            state=row.state,
            base_url=row.base_url,
            added_at=row.added_at,
            next_in_seq=row.next_in_seq,
            halted_at=row.halted_at,
            halted_reason=row.halted_reason,
            keys=tuple(
                PinnedKey(k.purpose, k.public_key, k.key_id, k.accepted_until) for k in keys
            ),
        )

    def add(self, state: str, base_url: str, *, added_at: datetime, next_in_seq: int) -> None:
        """Store a new peer, expecting `next_in_seq` next from it."""
        self._uow.session.execute(
            t.peers.insert().values(
                state=state, base_url=base_url, added_at=added_at, next_in_seq=next_in_seq
            )
        )

    def readdress(self, state: str, base_url: str) -> None:
        """Change where the peer is reached."""
        self._uow.session.execute(
            t.peers.update().where(t.peers.c.state == state).values(base_url=base_url)
        )

    def pin(
        self, state: str, purpose: str, public_key: str, key_id: str, accepted_until: date | None
    ) -> None:
        """Pin a key of the peer for a purpose, or change until when a pinned one is accepted."""
        session, keys = self._uow.session, t.peer_keys
        peer_id = session.execute(select(t.peers.c.id).where(t.peers.c.state == state)).scalar_one()
        existing = session.execute(
            select(keys.c.id).where(
                keys.c.peer_id == peer_id,
                keys.c.purpose == purpose,
                keys.c.public_key == public_key,
            )
        ).first()
        if existing is not None:
            session.execute(
                keys.update().where(keys.c.id == existing.id).values(accepted_until=accepted_until)
            )
            return
        session.execute(
            keys.insert().values(
                peer_id=peer_id,
                purpose=purpose,
                public_key=public_key,
                key_id=key_id,
                accepted_until=accepted_until,
            )
        )

    def remove(self, state: str) -> None:
        """Forget the peer and its keys."""
        self._uow.session.execute(t.peers.delete().where(t.peers.c.state == state))

    def states(self) -> list[str]:
        """Every peer's state code, in order."""
        return list(self._uow.session.scalars(select(t.peers.c.state).order_by(t.peers.c.state)))

    def one_of(self, states: Iterable[str]) -> str | None:
        """The first of these states that is a peer, or None."""
        query = select(t.peers.c.state).where(t.peers.c.state.in_(list(states)))
        return self._uow.session.scalar(query)

    def reachable(self) -> list[tuple[str, str]]:
        """(state, base_url) of each peer whose exchange is not stopped."""
        rows = self._uow.session.execute(
            select(t.peers.c.state, t.peers.c.base_url).where(t.peers.c.halted_at.is_(None))
        )
        return [(row.state, row.base_url) for row in rows]

    def halted(self) -> set[str]:
        """The states whose exchange is stopped."""
        query = select(t.peers.c.state).where(t.peers.c.halted_at.is_not(None))
        return set(self._uow.session.scalars(query))

    def halt(self, state: str, *, at: datetime, reason: str) -> None:
        """Stop the exchange with the peer (kept as it was when already stopped)."""
        self._uow.session.execute(
            t.peers.update()
            .where(t.peers.c.state == state, t.peers.c.halted_at.is_(None))
            .values(halted_at=at, halted_reason=reason)
        )

    def resume(self, state: str) -> None:
        """Take up the exchange with the peer again."""
        self._uow.session.execute(
            t.peers.update()
            .where(t.peers.c.state == state)
            .values(halted_at=None, halted_reason=None)
        )

    def hold(self, state: str) -> int | None:
        """Hold the peer's row to the commit (one writer a peer at a time); the sequence
        number expected next from it, None when there is no such peer."""
        row = self._uow.session.execute(
            select(t.peers.c.id, t.peers.c.next_in_seq)
            .where(t.peers.c.state == state)
            .with_for_update()
        ).first()
        return None if row is None else int(row.next_in_seq)

    def expect_next(self, state: str, seq: int) -> None:
        """The sequence number expected next from the peer."""
        self._uow.session.execute(
            t.peers.update().where(t.peers.c.state == state).values(next_in_seq=seq)
        )

    def last_checkpoint(self, state: str) -> SeenCheckpoint | None:
        """The newest checkpoint kept from the peer."""
        kept = t.peer_checkpoints
        row = self._uow.session.execute(
            select(kept.c.tree_size, kept.c.root_hash, kept.c.received_at)
            .where(kept.c.peer_state == state)
            .order_by(kept.c.tree_size.desc())
            .limit(1)
        ).first()
        return (
            None if row is None else SeenCheckpoint(row.tree_size, row.root_hash, row.received_at)
        )

    def keep_checkpoint(
        self,
        state: str,
        *,
        tree_size: int,
        root_hash: bytes,
        note: str,
        message_id: str,
        received_at: datetime,
    ) -> None:
        """Keep a checkpoint the peer sent (the signed note verbatim, and the message that
        carried it)."""
        self._uow.session.execute(
            t.peer_checkpoints.insert().values(
                peer_state=state,
                tree_size=tree_size,
                root_hash=root_hash,
                note=note,
                message_id=message_id,
                received_at=received_at,
            )
        )
