"""Remittance."""
