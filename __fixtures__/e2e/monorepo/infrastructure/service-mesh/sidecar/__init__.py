"""Sidecar helpers (e2e fixture)."""
