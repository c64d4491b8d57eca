"""What the services need from storage, one protocol per concept, named as the concept is named
across the layers (DESIGN.md §7). adapters/db/repositories/ implements each with SQLAlchemy;
tests/fakes.py keeps some in memory."""
