"""The SQLAlchemy repositories: one module per concept, implementing services/ports/."""
