"""Being built (issue 11)."""
