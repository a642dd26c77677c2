"""Running Inset: health checks, metrics, the request log, backups."""
