"""The n-gram table of the text models: every key found, every other key absent."""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching.int_table import IntTable


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> list[int]:
    known = dict(zip(keys.tolist(), values.tolist(), strict=True))
    return [known.get(q, -1) for q in queries.tolist()]


@pytest.mark.parametrize("size", [0, 1, 7, 1000, 30_000])
def test_same_answers_as_a_dictionary(size: int) -> None:
    rng = np.random.default_rng(size)
    keys = np.unique(rng.integers(1, 2**40, size=size, dtype=np.uint64))
    values = rng.permutation(len(keys)).astype(np.int64)
    table = IntTable(keys, values)
    absent = rng.integers(1, 2**40, size=5000, dtype=np.uint64)
    queries = rng.permutation(np.concatenate([keys, absent, keys[:50]]))
    assert table.get(queries).tolist() == _lookup(keys, values, queries)
    assert len(table) == len(keys)
    stored, stored_values = table.items()
    assert stored.tolist() == sorted(keys.tolist())
    assert _lookup(stored, stored_values, keys) == _lookup(keys, values, keys)


def test_neighbouring_codes_collide_and_are_all_found() -> None:
    # N-gram codes of one alphabet are close integers: long clusters of occupied slots.
    keys = np.arange(1, 20_001, dtype=np.uint64) * np.uint64(64)
    values = np.arange(20_000, dtype=np.int64)
    table = IntTable(keys, values)
    queries = np.arange(1, 40_001, dtype=np.uint64) * np.uint64(32)
    assert table.get(queries).tolist() == _lookup(keys, values, queries)


def test_zero_is_not_a_key() -> None:
    with pytest.raises(ValueError):
        IntTable(np.array([0, 3], dtype=np.uint64), np.array([1, 2]))
    assert (
        IntTable(np.array([3], dtype=np.uint64), np.array([9]))
        .get(np.array([], dtype=np.uint64))
        .tolist()
        == []
    )
