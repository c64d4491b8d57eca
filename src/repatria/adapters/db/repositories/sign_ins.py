"""What signing in keeps beside the accounts, on SQLAlchemy: failed attempts counted, sign-ins
waiting for a key, security keys and their challenges, recovery codes (part of the accounts
repository, services/ports/accounts.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from repatria.adapters.db import tables as t
from repatria.services.ports.accounts import (
    Challenge,
    KeyCredential,
    PendingSignIn,
    RecoveryCode,
    SecurityKey,
)

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

_throttles = t.login_throttles
_pending = t.pending_sign_ins
_keys = t.security_keys
_challenges = t.webauthn_challenges
_codes = t.recovery_codes


class SqlSignIns:
    """The sign-in records in the unit of work's transaction."""

    _uow: SqlUnitOfWork

    # Failed sign-ins

    def throttle(self, key: str, moment: datetime) -> tuple[int, datetime]:
        """The key's failures and last attempt, its row made if missing and locked until the
        transaction ends."""
        # Made if missing without a race between workers, then locked (PostgreSQL; SQLite's
        # writer holds the whole database) until the count is written. A stale row found
        # here may be deleted by a sign-in's housekeeping before it is locked: it is then
        # made again.
        session = self._uow.session
        dialect = session.connection().dialect.name
        insert_ = postgresql_insert if dialect == "postgresql" else sqlite_insert
        while True:
            session.execute(
                insert_(_throttles)
                .values(key=key, failures=0, last_attempt_at=moment)
                .on_conflict_do_nothing(index_elements=["key"])
            )
            row = session.execute(
                select(_throttles.c.failures, _throttles.c.last_attempt_at)
                .where(_throttles.c.key == key)
                .with_for_update()
            ).first()
            if row is not None:
                return int(row.failures), row.last_attempt_at

    def throttle_failures(self, key: str) -> tuple[int, datetime]:
        """The key's failures and last attempt as counted."""
        row = self._uow.session.execute(
            select(_throttles.c.failures, _throttles.c.last_attempt_at).where(
                _throttles.c.key == key
            )
        ).one()
        return int(row.failures), row.last_attempt_at

    def count_attempt(self, key: str, failures: int, moment: datetime) -> None:
        """Set the key's failures, its last attempt now."""
        self._uow.session.execute(
            update(_throttles)
            .where(_throttles.c.key == key)
            .values(failures=failures, last_attempt_at=moment)
        )

    def forget_throttles_before(self, moment: datetime) -> None:
        """Drop the counts whose last attempt is older than that."""
        self._uow.session.execute(delete(_throttles).where(_throttles.c.last_attempt_at < moment))

    def clear_failures(self, key: str) -> None:
        """Start the key afresh."""
        self._uow.session.execute(
            update(_throttles).where(_throttles.c.key == key).values(failures=0)
        )

    def give_back_failure(self, key: str) -> None:
        """Take one failure off the key's count (none below zero)."""
        self._uow.session.execute(
            update(_throttles)
            .where(_throttles.c.key == key, _throttles.c.failures > 0)
            .values(failures=_throttles.c.failures - 1)
        )

    # Sign-ins waiting for a security key

    def add_pending_sign_in(
        self,
        user_id: int,
        token_hash: str,
        issuer: str | None,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> None:
        """Store a pending sign-in under its raw token's digest."""
        self._uow.session.execute(
            insert(_pending).values(
                user_id=user_id,
                token_hash=token_hash,
                issuer=issuer,
                failures=0,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def pending_sign_in(self, token_hash: str) -> PendingSignIn | None:
        """The pending sign-in with that digest."""
        row = self._uow.session.execute(
            select(
                _pending.c.id,
                _pending.c.user_id,
                _pending.c.issuer,
                _pending.c.failures,
                _pending.c.expires_at,
                _pending.c.ended_at,
            ).where(_pending.c.token_hash == token_hash)
        ).first()
        return None if row is None else PendingSignIn(*row)

    def count_pending_failure(self, pending_id: int) -> None:
        """Count one more wrong answer to the pending sign-in."""
        self._uow.session.execute(
            update(_pending)
            .where(_pending.c.id == pending_id)
            .values(failures=_pending.c.failures + 1)
        )

    def end_pending_sign_in(self, pending_id: int, moment: datetime) -> bool:
        """End the pending sign-in; False when it had already ended."""
        ended = self._uow.session.execute(
            update(_pending)
            .where(_pending.c.id == pending_id, _pending.c.ended_at.is_(None))
            .values(ended_at=moment)
        )
        return bool(ended.rowcount == 1)  # type: ignore[attr-defined]

    # Security keys and their challenges

    def security_keys(self, user_id: int) -> list[SecurityKey]:
        """The user's keys, oldest first."""
        rows = self._uow.session.execute(
            select(_keys.c.id, _keys.c.name, _keys.c.created_at, _keys.c.last_used_at)
            .where(_keys.c.user_id == user_id)
            .order_by(_keys.c.id)
        )
        return [SecurityKey(*row) for row in rows]

    def has_security_keys(self, user_id: int) -> bool:
        """True when the user has registered a key."""
        count = self._uow.session.scalar(select(func.count()).where(_keys.c.user_id == user_id))
        return bool(count)

    def key_credentials(self, user_id: int) -> list[KeyCredential]:
        """What checking each of the user's keys needs, oldest first."""
        rows = self._uow.session.execute(
            _KEY_CREDENTIAL.where(_keys.c.user_id == user_id).order_by(_keys.c.id)
        )
        return [KeyCredential(*row) for row in rows]

    def key_credential(self, user_id: int, credential_id: bytes) -> KeyCredential | None:
        """The user's key with that WebAuthn credential id."""
        row = self._uow.session.execute(
            _KEY_CREDENTIAL.where(
                _keys.c.credential_id == credential_id, _keys.c.user_id == user_id
            )
        ).first()
        return None if row is None else KeyCredential(*row)

    def key_registered(self, credential_id: bytes) -> bool:
        """True when a key with that WebAuthn credential id is registered (by anyone)."""
        query = select(_keys.c.id).where(_keys.c.credential_id == credential_id)
        return self._uow.session.scalar(query) is not None

    def add_security_key(
        self,
        user_id: int,
        name: str,
        *,
        credential_id: bytes,
        public_key: bytes,
        sign_count: int,
        transports: str,
        created_at: datetime,
    ) -> int:
        """Store a new key for the user; the id it is given."""
        key_id: int = self._uow.session.execute(
            insert(_keys)
            .returning(_keys.c.id)
            .values(
                user_id=user_id,
                name=name,
                credential_id=credential_id,
                public_key=public_key,
                sign_count=sign_count,
                transports=transports,
                created_at=created_at,
            )
        ).scalar_one()
        return key_id

    def key_used(self, key_id: int, sign_count: int, moment: datetime) -> None:
        """Keep the key's new signature counter and when it was last used."""
        self._uow.session.execute(
            update(_keys)
            .where(_keys.c.id == key_id)
            .values(sign_count=sign_count, last_used_at=moment)
        )

    def remove_security_key(self, key_id: int) -> None:
        """Remove one key."""
        self._uow.session.execute(delete(_keys).where(_keys.c.id == key_id))

    def remove_security_keys(self, user_id: int) -> None:
        """Remove every key of the user."""
        self._uow.session.execute(delete(_keys).where(_keys.c.user_id == user_id))

    def forget_expired_challenges(self, user_id: int, moment: datetime) -> None:
        """Drop the user's challenges expired by then."""
        self._uow.session.execute(
            delete(_challenges).where(
                _challenges.c.user_id == user_id, _challenges.c.expires_at < moment
            )
        )

    def add_challenge(
        self,
        user_id: int,
        purpose: str,
        challenge: bytes,
        *,
        created_at: datetime,
        expires_at: datetime,
    ) -> int:
        """Store a challenge given to the user; its id."""
        challenge_id: int = self._uow.session.execute(
            insert(_challenges)
            .returning(_challenges.c.id)
            .values(
                user_id=user_id,
                purpose=purpose,
                challenge=challenge,
                created_at=created_at,
                expires_at=expires_at,
            )
        ).scalar_one()
        return challenge_id

    def challenge(self, challenge_id: int) -> Challenge | None:
        """The challenge with that id."""
        row = self._uow.session.execute(
            select(
                _challenges.c.user_id,
                _challenges.c.purpose,
                _challenges.c.challenge,
                _challenges.c.expires_at,
                _challenges.c.used_at,
            ).where(_challenges.c.id == challenge_id)
        ).first()
        return None if row is None else Challenge(*row)

    def spend_challenge(self, challenge_id: int, moment: datetime) -> None:
        """Mark the challenge answered."""
        self._uow.session.execute(
            update(_challenges).where(_challenges.c.id == challenge_id).values(used_at=moment)
        )

    # Recovery codes

    def end_recovery_codes(self, user_id: int) -> int:
        """Remove the user's unused codes; how many there were."""
        ended = self._uow.session.execute(
            delete(_codes).where(_codes.c.user_id == user_id, _codes.c.used_at.is_(None))
        )
        return int(ended.rowcount)  # type: ignore[attr-defined]

    def add_recovery_code(
        self, user_id: int, lookup: str, code_hash: str, created_at: datetime
    ) -> None:
        """Store a new code's hash under its lookup group."""
        self._uow.session.execute(
            insert(_codes).values(
                user_id=user_id, lookup=lookup, code_hash=code_hash, created_at=created_at
            )
        )

    def recovery_codes_left(self, user_id: int) -> int:
        """How many of the user's codes are unused."""
        count = self._uow.session.scalar(
            select(func.count()).where(_codes.c.user_id == user_id, _codes.c.used_at.is_(None))
        )
        return int(count or 0)

    def recovery_code(self, user_id: int, lookup: str) -> RecoveryCode | None:
        """The user's unused code with that lookup group."""
        row = self._uow.session.execute(
            select(_codes.c.id, _codes.c.code_hash).where(
                _codes.c.user_id == user_id,
                _codes.c.lookup == lookup,
                _codes.c.used_at.is_(None),
            )
        ).first()
        return None if row is None else RecoveryCode(int(row.id), row.code_hash)

    def spend_recovery_code(self, code_id: int, moment: datetime) -> bool:
        """Mark the code used; False when it was used already."""
        spent = self._uow.session.execute(
            update(_codes)
            .where(_codes.c.id == code_id, _codes.c.used_at.is_(None))
            .values(used_at=moment)
        )
        return bool(spent.rowcount == 1)  # type: ignore[attr-defined]

    def remove_recovery_codes(self, user_id: int) -> None:
        """Remove every code of the user, used or not."""
        self._uow.session.execute(delete(_codes).where(_codes.c.user_id == user_id))


_KEY_CREDENTIAL = select(
    _keys.c.id,
    _keys.c.name,
    _keys.c.credential_id,
    _keys.c.public_key,
    _keys.c.sign_count,
    _keys.c.transports,
)
