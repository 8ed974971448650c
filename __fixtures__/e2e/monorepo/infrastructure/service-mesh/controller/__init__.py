"""Service mesh controller (e2e fixture)."""
