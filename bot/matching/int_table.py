"""A read-only table from 64-bit keys to integer values, looked up many keys at a time.

The text models look up every character n-gram of a message (12,000 for a 4,096-character
one) among 25,000 known ones. A binary search (``numpy.searchsorted``) costs a cache miss per
step and per key; here a key is multiplied into a slot of an open-addressing table, so most keys
cost one gather and one comparison, all of them in a few numpy passes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

Keys = npt.NDArray[np.uint64]
Values = npt.NDArray[np.int64]

EMPTY: Final = np.uint64(0)  # no key is 0: callers' keys are non-zero codes
MAX_LOAD: Final = 0.6  # a fuller table costs more probes for keys it does not hold
_FEW: Final = 512  # keys left after which the remaining slots are read in one pass
_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads close codes apart


def hash_keys(items: Sequence[Hashable]) -> Keys:
    """Python's hash of each item (stable within a process: tables keyed by it are built in
    the process that reads them), never 0. Two of 100,000 items sharing a 64-bit hash, or a
    new item taking a stored one's, is about as likely as a cosmic ray."""
    found = np.fromiter(map(hash, items), dtype=np.int64, count=len(items)).view(np.uint64)
    found[found == 0] = 1
    return found


class IntTable:
    """Keys (non-zero, distinct) to values, in a table at most :data:`MAX_LOAD` full (linear
    probing)."""

    def __init__(self, keys: Keys, values: Values) -> None:
        keys = np.asarray(keys, dtype=np.uint64)
        values = np.asarray(values, dtype=np.int64)
        if np.any(keys == EMPTY):
            raise ValueError("0 cannot be a key")
        # The smallest power of two at most MAX_LOAD full.
        self._bits = max(4, math.ceil(math.log2(max(len(keys), 1) / MAX_LOAD)))
        size = 1 << self._bits
        self._mask = size - 1
        # N-gram codes fit in 32 bits: half the table.
        small = not len(keys) or int(keys.max()) < 2**32
        self._keys = np.zeros(size, dtype=np.uint32 if small else np.uint64)
        self._values = np.full(size, -1, dtype=np.int32 if len(values) < 2**31 else np.int64)
        self._packed: npt.NDArray[np.uint64] | None = None
        home = self._home(keys)
        pending = np.arange(len(keys))
        rounds = 0
        while len(pending):
            # Round r: each key not placed yet tries its home slot + r; of several keys
            # trying one free slot, the first takes it.
            slot = (home[pending] + rounds) & self._mask
            free = self._keys[slot] == EMPTY
            slots, first = np.unique(slot[free], return_index=True)
            placed = pending[free][first]
            self._keys[slots] = keys[placed]
            self._values[slots] = values[placed]
            pending = np.setdiff1d(pending, placed, assume_unique=True)
            rounds += 1
        self._rounds = rounds  # a present key sits at most this many slots past its home
        if small and self._values.dtype == np.int32:
            self._packed = (self._keys.astype(np.uint64) << np.uint64(32)) | self._values.view(
                np.uint32
            ).astype(np.uint64)

    def _home(self, keys: Keys) -> npt.NDArray[np.intp]:
        shift = np.uint64(64 - self._bits)
        # Multiplication modulo 2**64, as intended; the top bits are the slot.
        return ((keys * _GOLDEN) >> shift).astype(np.intp)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._keys))

    def items(self) -> tuple[Keys, Values]:
        """The keys, sorted, and their values."""
        where = np.flatnonzero(self._keys)
        order = np.argsort(self._keys[where])
        keys = self._keys[where][order].astype(np.uint64)
        return keys, self._values[where][order].astype(np.int64)

    def get(self, keys: Keys) -> Values:
        """The value of each key, -1 for a key absent from the table."""
        keys = np.asarray(keys, dtype=np.uint64)
        home = self._home(keys)
        # The home slot, for every key: most keys are settled there.
        slot = home & self._mask
        if self._packed is not None:
            both = self._packed[slot]
            found = both >> np.uint64(32)
            hit = found == keys
            out = np.where(hit, (both & np.uint64(0xFFFFFFFF)).astype(np.int64), -1)
        else:
            found = self._keys[slot]
            hit = found == keys
            out = np.where(hit, self._values[slot], -1).astype(np.int64)
        # An empty slot ends the search: the key would have been placed there.
        pending = np.flatnonzero(~hit & (found != EMPTY))
        r = 1
        # Then one pass per slot while many keys are left; the few left after that (a long
        # cluster) read all their remaining slots at once: a pass per slot would cost them
        # more than the reading.
        while len(pending) > _FEW and r < self._rounds:
            slot = (home[pending] + r) & self._mask
            found = self._keys[slot]
            hit = found == keys[pending]
            out[pending[hit]] = self._values[slot[hit]]
            pending = pending[~hit & (found != EMPTY)]
            r += 1
        if len(pending) and r < self._rounds:
            offsets = np.arange(r, self._rounds)
            slots = (home[pending][:, None] + offsets) & self._mask
            found = self._keys[slots]
            hit = found == keys[pending][:, None]
            first = (hit | (found == EMPTY)).argmax(axis=1)  # the first slot that settles it
            rows = np.arange(len(pending))
            ok = hit[rows, first]
            out[pending[ok]] = self._values[slots[rows, first][ok]]
        return out
