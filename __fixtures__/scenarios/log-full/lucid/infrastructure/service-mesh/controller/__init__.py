"""Lucid service mesh controller."""
