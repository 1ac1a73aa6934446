"""The state prescription monitoring program (PMP) report: a daily file of controlled
dispensings in ASAP 4.2A (asap.py), built from the fills (gather.py), kept and logged
(models.py), downloaded from the reports pages (views.py)."""
