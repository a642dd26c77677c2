"""Archiving: records are hidden from lists and kept, never deleted."""
