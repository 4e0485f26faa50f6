"""Python values -> Arrow arrays of the contract's types, built from their buffers.

``pa.array``, ``pa.table`` and ``Table.from_pydict`` ask pandas whether they were handed a
pandas object, and so import it (0.2 s and 43 MB per run measured); a run of ``extract``
needs no pandas. The contract uses few types, and each has a simple memory layout
(the Arrow columnar format): a validity bitmap, then offsets and data or fixed-width values.
"""

from __future__ import annotations

import datetime
from array import array
from collections.abc import Sequence

import pyarrow as pa

EPOCH = datetime.date(1970, 1, 1)
_FIXED_WIDTH = {pa.int32(): "i", pa.float64(): "d"}


def column(values: Sequence, type_: pa.DataType) -> pa.Array:
    """An array of ``type_`` holding ``values`` (None is null)."""
    validity = _bitmap([v is not None for v in values])
    if pa.types.is_string(type_):
        return _strings(values, validity)
    if type_ in _FIXED_WIDTH:
        numbers = array(_FIXED_WIDTH[type_], (0 if v is None else v for v in values))
        return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(numbers)])
    if pa.types.is_date32(type_):
        days = array("i", (0 if v is None else (v - EPOCH).days for v in values))
        return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(days)])
    if pa.types.is_boolean(type_):
        bits = _bitmap([bool(v) for v in values])
        return pa.Array.from_buffers(type_, len(values), [validity, bits])
    if pa.types.is_list(type_):
        return _lists(values, type_, validity)
    raise TypeError(f"no column builder for {type_}")


def _bitmap(flags: Sequence[bool]) -> pa.Buffer:
    """Arrow bitmaps are least-significant bit first."""
    packed = bytearray((len(flags) + 7) // 8)
    for i, flag in enumerate(flags):
        if flag:
            packed[i >> 3] |= 1 << (i & 7)
    return pa.py_buffer(bytes(packed))


def _strings(values: Sequence, validity: pa.Buffer) -> pa.Array:
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = array("i", [0])
    for data in encoded:
        offsets.append(offsets[-1] + len(data))
    return pa.Array.from_buffers(pa.string(), len(values),
                                 [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def _lists(values: Sequence, type_: pa.ListType, validity: pa.Buffer) -> pa.Array:
    offsets = array("i", [0])
    flat: list = []
    for items in values:
        flat.extend(items or ())
        offsets.append(len(flat))
    items = column(flat, type_.value_type)
    return pa.Array.from_buffers(type_, len(values), [validity, pa.py_buffer(offsets)], children=[items])
