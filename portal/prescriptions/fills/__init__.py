"""Fills."""
