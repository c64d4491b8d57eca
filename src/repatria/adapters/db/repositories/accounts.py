"""The accounts repository on SQLAlchemy (services/ports/accounts.py): organisations, users and
their tokens here; what signing in keeps beside them in sign_ins.py."""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Table, bindparam, select, true, update

from repatria.adapters.db import tables as t
from repatria.adapters.db.repositories.sign_ins import SqlSignIns
from repatria.domain.accounts import Credential, CredentialKind, Organisation, User
from repatria.services.ports.accounts import KeyedRead, StoredPassword, TokenHolder

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork


class SqlAccounts(SqlSignIns):
    """Accounts in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def organisations(self) -> list[Organisation]:
        """Every organisation, by code."""
        query = select(Organisation).order_by(t.organisations.c.code)
        return list(self._uow.session.scalars(query))

    def organisation_by_code(self, code: str) -> Organisation | None:
        """The organisation with that code."""
        query = select(Organisation).where(t.organisations.c.code == code)
        return self._uow.session.scalar(query)

    def add_organisation(self, organisation: Organisation) -> None:
        """Store a new organisation (given its id)."""
        self._uow.session.add(organisation)
        self._uow.session.flush()

    def user(self, user_id: int) -> User | None:
        """The user with that id, with its organisation."""
        return self._uow.session.get(User, user_id)

    def user_by_name(self, username: str) -> User | None:
        """The user with that username."""
        return self._uow.session.scalar(select(User).where(t.users.c.username == username))

    def user_by_provider(self, issuer: str, subject: str) -> User | None:
        """The user who signs in as that identity provider's subject."""
        query = select(User).where(
            t.users.c.external_issuer == issuer, t.users.c.external_subject == subject
        )
        return self._uow.session.scalar(query)

    def users(self, state: str | None = None) -> list[User]:
        """The users of the organisations of one state (None: every state), by username."""
        query = select(User).join(Organisation).order_by(t.users.c.username)
        if state is not None:
            query = query.where(t.organisations.c.state == state)
        return list(self._uow.session.scalars(query))

    def add_user(self, user: User) -> None:
        """Store a new user (given its id)."""
        self._uow.session.add(user)
        self._uow.session.flush()

    def password_of(self, username: str) -> StoredPassword | None:
        """The password hash of the user with that username."""
        query = select(t.users.c.id, t.users.c.password_hash).where(t.users.c.username == username)
        found = self._uow.session.execute(query).first()
        return None if found is None else StoredPassword(found.id, found.password_hash)

    def usernames(self, user_ids: Collection[int]) -> dict[int, str]:
        """The usernames of the users with those ids (the ids of none left out)."""
        if not user_ids:
            return {}
        query = select(t.users.c.id, t.users.c.username).where(t.users.c.id.in_(sorted(user_ids)))
        return {int(row.id): str(row.username) for row in self._uow.session.execute(query)}

    def add_credential(self, credential: Credential, *, issuer: str | None = None) -> None:
        """Store a new token (given its id); `issuer`: the provider a session came through."""
        self._uow.session.add(credential)
        self._uow.session.flush()
        if issuer is not None:  # not an attribute of the domain's Credential
            self._uow.session.execute(
                update(t.credentials)
                .where(t.credentials.c.id == credential.id)
                .values(issuer=issuer)
            )

    def credential(self, credential_id: int) -> Credential | None:
        """The token with that id, with its user."""
        return self._uow.session.get(Credential, credential_id)

    def credential_by_token(self, token_hash: str) -> Credential | None:
        """The token whose digest that is."""
        query = select(Credential).where(t.credentials.c.token_hash == token_hash)
        return self._uow.session.scalar(query)

    def api_tokens_of(self, user_id: int) -> list[Credential]:
        """The user's API tokens, newest first."""
        query = (
            select(Credential)
            .where(t.credentials.c.user_id == user_id, t.credentials.c.kind == CredentialKind.API)
            .order_by(t.credentials.c.id.desc())
        )
        return list(self._uow.session.scalars(query))

    def session_issuer(self, token_hash: str) -> str | None:
        """The identity provider the session with that digest was opened through."""
        query = select(t.credentials.c.issuer).where(t.credentials.c.token_hash == token_hash)
        issuer: str | None = self._uow.session.scalar(query)
        return issuer

    def end_credentials(self, user_id: int, moment: datetime) -> int:
        """Revoke the user's open tokens and end their pending sign-ins; how many tokens."""
        session = self._uow.session
        session.flush()
        session.execute(
            update(t.pending_sign_ins)
            .where(t.pending_sign_ins.c.user_id == user_id, t.pending_sign_ins.c.ended_at.is_(None))
            .values(ended_at=moment)
        )
        ended = session.execute(
            update(t.credentials)
            .where(t.credentials.c.user_id == user_id, t.credentials.c.revoked_at.is_(None))
            .values(revoked_at=moment)
            .execution_options(synchronize_session=False)
        )
        return int(ended.rowcount)  # type: ignore[attr-defined]

    def token_holder(self, token_hash: str) -> TokenHolder | None:
        """What the token with that digest stands for (one indexed read)."""
        found = self._uow.connection().execute(_AUTHENTICATE, {"token_hash": token_hash}).first()
        return None if found is None else TokenHolder(*found[:_HOLDER_WIDTH])

    def token_holder_reading(
        self, token_hash: str, read: KeyedRead, record_id: int
    ) -> tuple[TokenHolder | None, dict[str, Any] | None]:
        """`token_holder`, and the read's columns of the record with that id (None: there is
        none), in one statement."""
        statement, names = _reading(read)
        params = {"token_hash": token_hash, "record_id": record_id}
        found = self._uow.connection().execute(statement, params).first()
        if found is None:
            return None, None
        row = found[_HOLDER_WIDTH:]
        record = dict(zip(names, row, strict=True)) if row[0] is not None else None
        return TokenHolder(*found[:_HOLDER_WIDTH]), record


# Every request authenticates: one Core query over the credential, its user and the user's
# organisation, without building ORM objects (the columns in TokenHolder's order).
_AUTHENTICATE = (
    select(
        t.credentials.c.expires_at,
        t.credentials.c.revoked_at,
        t.credentials.c.read_only,
        t.users.c.id,
        t.users.c.username,
        t.users.c.role,
        t.users.c.active,
        t.users.c.organisation_id,
        t.organisations.c.state,
        t.users.c.language,
    )
    .select_from(t.credentials)
    .join(t.users, t.users.c.id == t.credentials.c.user_id)
    .join(t.organisations, t.organisations.c.id == t.users.c.organisation_id)
    .where(t.credentials.c.token_hash == bindparam("token_hash"))
)
_HOLDER_WIDTH = len(_AUTHENTICATE.selected_columns)
# The records a read beside the authentication may name (KeyedRead.record).
_RECORDS: dict[str, Table] = {"case": t.cases}


@functools.cache
def _reading(read: KeyedRead) -> tuple[Select[Any], tuple[str, ...]]:
    # Built once per read: building and keying the statement cost as much as running it.
    # The credential's row, then the record's columns: NULL when no record has the id.
    table = _RECORDS[read.record]
    names = tuple(dict.fromkeys(["id", *read.columns]))
    what = (
        select(*(table.c[name] for name in names))
        .where(table.c.id == bindparam("record_id"))
        .subquery("what")
    )
    who = _AUTHENTICATE.subquery("who")
    return select(*who.c, *what.c).select_from(who.outerjoin(what, true())), names
