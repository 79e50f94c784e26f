"""What a server process read for the API, trusted for a few seconds (API_MEMO_SECONDS).

A tool pages through scores request after request with one key; each page would otherwise look
the key up again and join every row to its employee, team and version. A `ProcessMemo` keeps
what one process read for `API_MEMO_SECONDS` (5 by default; 0 reads every time, as the test
settings do so that query counts do not depend on a test's speed). Saving or deleting one of the
models it reads from empties the memo of the process that did it at once (`forget_on_change`);
every other process reads again within those seconds. docs/PERFORMANCE.md, "API memos".
"""

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


_MEMOS: list["ProcessMemo"] = []


def memos_forget() -> None:
    """Empty every memo of this process (the tests start each test with none)."""
    for memo in _MEMOS:
        memo.forget()


class ProcessMemo(Generic[K, V]):
    """Values by key, each trusted for API_MEMO_SECONDS after it was read."""

    def __init__(self, *, name: str, size: int = 20_000) -> None:
        self.name = name
        self.size = size
        self._entries: dict[K, tuple[dt.datetime, V]] = {}
        _MEMOS.append(self)

    def _fresh(self, key: K, now: dt.datetime, lifetime: dt.timedelta) -> bool:
        entry = self._entries.get(key)
        return entry is not None and now - entry[0] < lifetime

    def _keep(self, values: dict[K, V], now: dt.datetime) -> None:
        if len(self._entries) + len(values) > self.size:
            self._entries.clear()
        for key, value in values.items():
            self._entries[key] = (now, value)

    def get(self, key: K, *, now: dt.datetime, load: Callable[[K], V]) -> V:
        """The value for the key, from the memo or `load(key)` (whose exceptions pass through)."""
        lifetime = dt.timedelta(seconds=settings.API_MEMO_SECONDS)
        if not lifetime:
            return load(key)
        if self._fresh(key, now, lifetime):
            return self._entries[key][1]
        value = load(key)
        self._keep({key: value}, now)
        return value

    def get_many(
        self, keys: Iterable[K], *, now: dt.datetime, load: Callable[[list[K]], dict[K, V]]
    ) -> dict[K, V]:
        """The values of the keys: those not in the memo (or gone stale) read by one call of
        `load(missing)`; a key `load` does not return is left out."""
        keys = set(keys)
        lifetime = dt.timedelta(seconds=settings.API_MEMO_SECONDS)
        if not lifetime:
            return load(sorted(keys, key=str)) if keys else {}
        missing = [key for key in keys if not self._fresh(key, now, lifetime)]
        if missing:
            self._keep(load(missing), now)
        return {key: self._entries[key][1] for key in keys if key in self._entries}

    def forget(self, **kwargs) -> None:
        """Empty the memo (a signal receiver: a model it reads from was saved or deleted)."""
        self._entries.clear()

    def forget_on_change(self, *models: type[Model]) -> None:
        """Empty the memo whenever one of these models is saved or deleted in this process."""
        for model in models:
            label = f"{self.name}:{model._meta.label}"
            post_save.connect(self.forget, sender=model, weak=False, dispatch_uid=f"{label}:save")
            post_delete.connect(
                self.forget, sender=model, weak=False, dispatch_uid=f"{label}:delete"
            )
