"""Demo facilities and money: CECOT as the sources describe it, and the 2025 US-El Salvador
custody agreement with the 238 people sent under it (fictional records, real numbers).

Everything goes through the real use cases (facility, contract, people, allocation), each
recorded in the audit log. The sources are in docs/facilities.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from repatria.domain.money import FeeBasis
from repatria.services import accounts, allocation, contracts, facilities, people
from repatria.services.commands import RecordPerson
from repatria.services.facility_commands import (
    Allocate,
    ArrivalIn,
    CellIn,
    CreateContract,
    CreateFacility,
    UnitIn,
)
from repatria.services.unit_of_work import UnitOfWork

# 8 buildings x 32 cells of about 100 m2, metal bunks for 80, declared capacity 40,000. The
# sanitary annex (two toilets, two basins) is not reported with a size, so none is deducted.
CECOT = CreateFacility(
    code="cecot",
    name="Centro de Confinamiento del Terrorismo (CECOT), Tecoluca",
    state="SV",
    standard="CPT",
    declared_capacity=40_000,
    units=[
        UnitIn(
            code=f"b{building}",
            name=f"Building {building}",
            cells=[
                CellIn(
                    code="c",
                    count=32,
                    floor_area_m2=Decimal(100),
                    beds=80,
                    security_level="max",
                )
            ],
        )
        for building in range(1, 9)
    ],
)
AGREEMENT_URL = "https://democracyforward.org/updates/us-sv-gulag-docrelease"
ARRIVED = date(2025, 3, 16)  # the March 2025 flights reached CECOT overnight, 15 to 16 March
PEOPLE_SENT = 238  # "the 238 TdA members recently deported to El Salvador" (the agreement)


def _agreement(facility_id: int) -> CreateContract:
    # Up to 300 people for up to one year, $4.76M from INL funds. The sources give "one year"
    # from the first transfers; 15 March 2025 to 14 March 2026 is the demo's reading.
    return CreateContract(
        reference="us-sv-2025",
        payer_state="US",
        host_state="SV",
        facility_id=facility_id,
        fee_basis=FeeBasis.LUMP_SUM,
        fee=Decimal("4760000.00"),
        currency="USD",
        cap_people=300,
        starts_on=date(2025, 3, 15),
        ends_on=date(2026, 3, 14),
        funding_source=(
            "US Department of State, Bureau of International Narcotics and Law Enforcement "
            "Affairs (INL) grant"
        ),
        citation=(
            "US-El Salvador grant agreement (four pages), made public in September 2025 in "
            "Robert F. Kennedy Human Rights et al. v. U.S. Department of State et al. (D.D.C.): "
            "up to 300 people for up to one year, $4.76 million"
        ),
        url=AGREEMENT_URL,
    )


def _sent(number: int) -> RecordPerson:
    return RecordPerson.model_validate(
        {
            "family_name": "Demo detainee",
            "given_names": f"VE-{number:03d} (fictional)",
            "held_by_state": "SV",
            "citizenships": [{"country": "VE"}],
        }
    )


def load(uow: UnitOfWork) -> bool:
    """Add CECOT, the agreement and its 238 people once; False when already there."""
    if uow.facilities.by_code(CECOT.code) is not None:
        return False
    found = (
        uow.accounts.user_by_name(name)
        for name in ("sv-facility-admin", "sv-case-officer", "us-finance")
    )
    users = {user.username: accounts.principal_of(user) for user in found if user is not None}
    if len(users) < 3:
        return False  # the demo organisations and users come first
    operator = users["sv-facility-admin"]
    cecot = facilities.create(uow, operator, CECOT)
    assert cecot.id is not None
    agreement = contracts.create(uow, users["us-finance"], _agreement(cecot.id))
    sent = [
        people.record(uow, users["sv-case-officer"], _sent(n)) for n in range(1, PEOPLE_SENT + 1)
    ]
    arrivals = [ArrivalIn(person_id=p.id or 0, security_level="max") for p in sent]
    allocation.run(
        uow,
        operator,
        cecot.id,
        Allocate(on=ARRIVED, arrivals=arrivals, contract_id=agreement.id),
    )
    return True
