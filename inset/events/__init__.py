"""Domain events: every audited change as a feed in commit order (the outbox)."""
