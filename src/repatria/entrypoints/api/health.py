"""Health: is the server up, which database it uses, at which migration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from repatria import __version__
from repatria.bootstrap import Container, head_revision
from repatria.entrypoints.api.deps import get_container
from repatria.entrypoints.api.schemas import HealthOut

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut, summary="Server and database status")
def health(container: Annotated[Container, Depends(get_container)]) -> HealthOut:
    """Report the database kind and migration; needs no login (one short read, in the thread
    pool like every read)."""
    current = container.revision(reading=True)
    head = head_revision()
    return HealthOut(
        status="ok" if current == head else "migration_needed",
        database=container.settings.database_kind,
        migration=current,
        migration_head=head,
        version=__version__,
    )
