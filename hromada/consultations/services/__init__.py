"""Writes of the consultations module, one file per part (ADR 0007)."""
