"""Controlled substances at the counter: how a C-II arrived (emergency oral orders, fax as
the original) and partial fills with their windows (rules.py)."""
