"""The facts and derived values checks share, each defined once (a release date, an age)."""

from __future__ import annotations

from repatria.law.expr import AddDays, AgeOn, Coalesce, Const, Expr, Field, IfElse

FROM, TO, AS_OF = Field("from"), Field("to"), Field("as_of")
DEPARTURE_DAY = Field("departure_day")  # the calendar day of `departure_at`
CITIZENSHIPS = Field("person.citizenships")
BIRTH_DATE = Field("person.birth_date")
RECEIVED = Field("request_received_on")
# The day a request counts as received (time left is measured on it): else as_of.
REFERENCE = Coalesce((RECEIVED, AS_OF))
REFERENCE_NAME = IfElse(RECEIVED.is_known(), Const("request_received_on"), Const("as_of"))
AGE = AgeOn(BIRTH_DATE, AS_OF)  # completed years on as_of
# The day of transfer: the departure where it is planned, else as_of. Who must consent turns on
# the person's age "at the time of transfer" (18 U.S.C. § 4100(b)).
TRANSFER_DAY = Coalesce((DEPARTURE_DAY, AS_OF))
AGE_AT_TRANSFER = AgeOn(BIRTH_DATE, TRANSFER_DAY)
CREDIT_DAYS = Field("sentence.credit_days")
# The release date; credits only shorten a sentence, so unknown credits count as none.
RELEASE = AddDays(
    Field("sentence.start_date"), Field("sentence.length_days") - CREDIT_DAYS.otherwise(0)
)


def in_force_on(issued: Expr, ended: Expr, day: Expr) -> Expr:
    """An order in force on a day: issued on or before it (or undated), not ended by then."""
    return (issued.is_null() | (issued <= day)) & (ended.is_null() | (ended > day))


# When a rule applies; `holds_listed` and `death_sentence_stated`: only where the document
# states that fact (a treaty transfer's scope and safeguard facts that a removal must have).
WHEN: dict[str, Expr] = {
    "always": Const(True),
    "us_involved": FROM.eq("US") | TO.eq("US"),
    "us_outbound": FROM.eq("US"),
    "us_inbound": TO.eq("US"),
    "holds_listed": Field("holds").is_known(),
    "death_sentence_stated": Field("sentence.death_sentence").is_known(),
}
