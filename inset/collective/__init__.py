"""The Collective: the yearly digest of what the sector may learn from the portfolio."""
