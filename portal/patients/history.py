"""The medication history on the patient page, filled in by other areas.

The prescriptions area registers a provider in its init_app:

    from portal.patients.history import HistoryRow, register_history_provider

    @register_history_provider
    def fills(patient, limit):
        return [HistoryRow(filled_on=..., rx_number=..., drug=..., quantity=..., ...), ...]

patient_history() merges every provider's rows, newest first. Until one is registered the
page says there are no fills yet.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class HistoryRow:
    """One fill as the patient page lists it."""

    filled_on: date | datetime
    rx_number: str
    drug: str
    quantity: str = ""
    days_supply: int | None = None
    status: str = ""
    prescriber: str = ""
    url: str | None = None

    @property
    def sort_key(self) -> datetime:
        when = self.filled_on
        return when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)


HistoryProvider = Callable[[object, int], Iterable[HistoryRow]]
_providers: list[HistoryProvider] = []


def register_history_provider(provider: HistoryProvider) -> HistoryProvider:
    """Add a source of history rows: provider(patient, limit) -> rows. Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def patient_history(patient, limit: int = 100) -> list[HistoryRow]:
    """The patient's fills from every provider, newest first, at most limit."""
    rows = [row for provider in _providers for row in provider(patient, limit)]
    rows.sort(key=lambda row: row.sort_key, reverse=True)
    return rows[:limit]
