"""Many short texts per key, held as one block of UTF-8 bytes per key.

The danger model's 8,000 examples are read at every check and needed afterwards only to name
the trained model's file (a hash of them) and, after an edit, to train it again. As 8,000
Python strings in tuples they held 1.5 MB of the running bot, and about 3 MB of its peak with
their unpickling and hashing: the bot's memory target is 100 MB. One block per key is a third
of that, unpickles as a dozen objects, and hashes without being split (see :meth:`block`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Final

# Between two texts of a block. A control character that no example holds: one that did would
# split in two, so it is replaced by a space when the block is made.
SEPARATOR: Final = "\x01"


class PackedTexts(Mapping[str, tuple[str, ...]]):
    """A read-only mapping from keys to tuples of texts, each tuple decoded when asked for."""

    __slots__ = ("_blocks", "_sizes")

    def __init__(self, texts: Mapping[str, Sequence[str]]) -> None:
        self._blocks = {
            key: SEPARATOR.join(t.replace(SEPARATOR, " ") for t in items).encode()
            for key, items in texts.items()
        }
        self._sizes = {key: len(items) for key, items in texts.items()}

    def __getitem__(self, key: str) -> tuple[str, ...]:
        if not self._sizes[key]:
            return ()
        return tuple(self._blocks[key].decode().split(SEPARATOR))

    def __iter__(self) -> Iterator[str]:
        return iter(self._blocks)

    def __len__(self) -> int:
        return len(self._blocks)

    def count(self, key: str) -> int:
        """How many texts ``key`` holds, without decoding them."""
        return self._sizes.get(key, 0)

    def block(self, key: str) -> bytes:
        """The texts of ``key`` in UTF-8, separated by :data:`SEPARATOR` (its byte is 1):
        what a hash fed ``b"\\1" + text`` per text reads, without the first byte."""
        return self._blocks[key]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedTexts):
            return self._blocks == other._blocks and self._sizes == other._sizes
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]  # mutable-looking mapping: not hashable

    def __getstate__(self) -> tuple[dict[str, bytes], dict[str, int]]:
        return self._blocks, self._sizes

    def __setstate__(self, state: tuple[dict[str, bytes], dict[str, int]]) -> None:
        self._blocks, self._sizes = state
