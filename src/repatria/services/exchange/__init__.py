"""Federation: peer states, the signed envelopes that travel between them, their delivery and
receipt, and each side's witness of the other's record (docs/federation.md)."""
