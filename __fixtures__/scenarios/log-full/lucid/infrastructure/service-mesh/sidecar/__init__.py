"""Sidecar proxy helpers."""
