"""Why a form's field was refused, in the reader's language: pydantic's own checks and the
commands' own checks (services/commands.py, services/facility_commands.py) alike."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from repatria.entrypoints.web import form_errors
from repatria.i18n import use_locale
from repatria.services.commands import RecordPerson
from repatria.services.facility_commands import Area


def _first_error(adapter: TypeAdapter[object], value: object) -> object:
    with pytest.raises(ValidationError) as refused:
        adapter.validate_python(value)
    return refused.value.errors()[0]


def test_a_commands_check_with_a_value_in_it_is_said_in_spanish() -> None:
    error = _first_error(TypeAdapter(Area), "12.345")
    with use_locale("es_MX"):
        said = form_errors.reason(error)
    assert said == "debe ser una cantidad de 0 a 100000 con dos decimales como máximo"
    with use_locale("en_US"):
        assert form_errors.reason(error) == (
            "must be an amount from 0 to 100000 with at most two decimals"
        )


def test_a_check_of_the_whole_command_is_said_in_spanish() -> None:
    person = {"family_name": "Ruiz", "given_names": "Ana", "held_by_state": "MX"}
    error = _first_error(TypeAdapter(RecordPerson), {**person, "birth_date": "2999-01-01"})
    with use_locale("es_SV"):
        assert form_errors.reason(error) == "birth_date es una fecha futura"
