"""Prior auth."""
