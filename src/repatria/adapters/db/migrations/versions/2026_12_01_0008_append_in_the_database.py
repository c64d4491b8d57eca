"""On PostgreSQL, events are appended to the Merkle log by one function in the database.

`repatria_append_events(heads, tails)` locks the log head, numbers each event from it, lays
out and hashes its leaf, inserts it and moves the head's frontier, size and root, all in the
server: the head is held for the statement and its COMMIT only, not for a round trip to the
application and back while the application hashed (docs/audit.md, "Appending"). Each leaf
comes as the text before its seq and the text after it (domain/audit.py: leaf_parts), the
events' parts joined by line breaks, which no leaf holds. It hashes as domain/merkle.py does:
leaf SHA-256(0x00 || leaf as UTF-8), node SHA-256(0x01 || left || right), the frontier its
perfect subtrees' roots largest first; `repatria audit verify` recomputes all of it in Python.
SQLite appends in the application as before: its writers are serialised from BEGIN anyway.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Every function called is qualified with pg_catalog, and every operator's operands are of
# the types of one of pg_catalog's own, so no function or operator of the caller's search path
# can stand in for one (an exact match elsewhere would win over one needing a cast); the
# tables are the caller's, as for every other statement.
_APPEND = r"""
CREATE FUNCTION repatria_append_events(heads text, tails text) RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
DECLARE
    head_parts text[] := pg_catalog.string_to_array(heads, E'\n');
    tail_parts text[] := pg_catalog.string_to_array(tails, E'\n');
    leaf_prefix CONSTANT bytea := pg_catalog.decode('00', 'hex');
    node_prefix CONSTANT bytea := pg_catalog.decode('01', 'hex');
    log_size bigint;
    subtrees bytea;
    leaf text;
    hashed bytea;
    carry bigint;
    event_id bigint;
    root bytea;
    at integer;
BEGIN
    IF pg_catalog.cardinality(head_parts) IS DISTINCT FROM pg_catalog.cardinality(tail_parts)
    THEN
        RAISE EXCEPTION 'repatria_append_events: % leaf heads for % leaf tails',
            pg_catalog.cardinality(head_parts), pg_catalog.cardinality(tail_parts);
    END IF;
    IF pg_catalog.cardinality(head_parts) = 0 THEN
        RETURN;
    END IF;
    SELECT h.size, h.frontier INTO STRICT log_size, subtrees
        FROM audit_log_head AS h WHERE h.id = 1 FOR UPDATE;
    -- One 32-byte subtree root for each bit set in the size (domain/merkle.py: Frontier).
    IF pg_catalog.length(subtrees) <> 32 * pg_catalog.length(
        pg_catalog.replace(log_size::bit(64)::text, '0', '')
    ) THEN
        RAISE EXCEPTION 'the log head''s frontier (% bytes) does not fit its size %',
            pg_catalog.length(subtrees), log_size;
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(head_parts) LOOP
        leaf := head_parts[i] || log_size::text || tail_parts[i];
        hashed := pg_catalog.sha256(leaf_prefix || pg_catalog.convert_to(leaf, 'UTF8'));
        INSERT INTO events (body, leaf_hash) VALUES (leaf, hashed) RETURNING id INTO event_id;
        RETURN NEXT event_id;
        -- The new leaf merges with each subtree of its own height: one per trailing 1 bit.
        carry := log_size;
        WHILE carry & 1::bigint = 1::bigint LOOP
            hashed := pg_catalog.sha256(
                node_prefix || pg_catalog.substr(subtrees, pg_catalog.length(subtrees) - 31)
                || hashed
            );
            subtrees := pg_catalog.substr(subtrees, 1, pg_catalog.length(subtrees) - 32);
            carry := carry >> 1;
        END LOOP;
        subtrees := subtrees || hashed;
        log_size := log_size + 1;
    END LOOP;
    -- The root folds the subtrees from the smallest, each on the right of the next larger.
    root := pg_catalog.substr(subtrees, pg_catalog.length(subtrees) - 31);
    at := pg_catalog.length(subtrees) - 32;
    WHILE at > 0 LOOP
        root := pg_catalog.sha256(node_prefix || pg_catalog.substr(subtrees, at - 31, 32) || root);
        at := at - 32;
    END LOOP;
    UPDATE audit_log_head SET size = log_size, root_hash = root, frontier = subtrees
        WHERE id = 1;
END
$$
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Straight to the driver, with no parameters: nothing rewrites its % or its colons.
        cursor = bind.connection.cursor()
        try:
            cursor.execute(_APPEND)
        finally:
            cursor.close()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION repatria_append_events(text, text)")
