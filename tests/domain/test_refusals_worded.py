"""A refusal is one sentence with named placeholders: English as the record keeps it, and the
same sentence in the reader's language where it is shown (issue 20)."""

from __future__ import annotations

import pytest

from repatria.domain.accounts import Role
from repatria.domain.errors import Conflict, InvalidInput, PermissionDenied, Term
from repatria.domain.movements import MovementState, next_state
from repatria.i18n import N_, use_locale


def test_a_refusal_keeps_its_english_words_and_says_them_in_spanish() -> None:
    refused = Conflict(N_("the username %(username)s is taken"), username="'ana'")
    assert str(refused) == "the username 'ana' is taken"
    with use_locale("es_MX"):
        assert refused.said() == "el nombre de usuario 'ana' ya está en uso"
    with use_locale("en_US"):
        assert refused.said() == str(refused)


def test_a_refused_field_names_the_field_and_says_why_in_the_readers_language() -> None:
    refused = InvalidInput("days", N_("must be between 1 and 366"))
    assert (refused.field, refused.reason, str(refused)) == (
        "days",
        "must be between 1 and 366",
        "days: must be between 1 and 366",
    )
    with use_locale("es_SV"):
        assert refused.reason_said() == "debe estar entre 1 y 366"


def test_a_term_stays_a_code_in_english_and_takes_the_readers_word_when_shown() -> None:
    refused = PermissionDenied(N_("%(step)s requires a reason"), step=Term("deny"))
    assert str(refused) == "deny requires a reason"
    with use_locale("es_MX"):
        assert (
            refused.said(lambda code: {"deny": "denegar"}[code])
            == "denegar requiere una motivación"
        )


def test_a_movement_step_from_the_wrong_stage_names_both_stages() -> None:
    with pytest.raises(Conflict) as refused:
        next_state("depart", MovementState.PLANNED)
    assert str(refused.value) == "depart needs a manifest_locked movement; this one is planned"
    with use_locale("es_MX"):
        said = refused.value.said(str.upper)
    assert "DEPART" in said and "MANIFEST_LOCKED" in said and "PLANNED" in said


def test_a_refusal_not_in_the_catalog_is_said_as_written() -> None:
    refused = PermissionDenied(f"the role {Role.AUDITOR.value} changes nothing")
    with use_locale("es_MX"):
        assert refused.said() == "the role auditor changes nothing"
