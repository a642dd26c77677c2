"""Inset: the innovation project lifecycle tracker for children's services."""
