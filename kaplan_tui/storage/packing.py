"""Validated records as compact bytes, one blob per record, for the record cache.

A blob is :mod:`marshal` data (strings, numbers, lists, dicts and tuples only), so reading one
back runs no code and costs a few microseconds: a record is unpacked only when it is read (see
:mod:`kaplan_tui.core.records`). Pickling each record on its own would cost ten times more,
since every blob would name its classes again.

The encoding: strings, numbers, booleans and None stand for themselves, and so do lists and
dicts holding only those. Anything else is a tuple whose first item says what it is:

* ``("d", ordinal)``: a date;
* ``("t", year, month, day, hour, minute, second, microsecond, utc_offset)``: a datetime, naive
  when the offset is None, else with pydantic's time zone of that offset in seconds;
* ``("e", class, value)``: a member of one of the models' enums;
* ``("m", class, values, fields_set, tagged)``: a model of :mod:`kaplan_tui.core.models` (or of
  :mod:`kaplan_tui.core.settings`), its
  field values in the model's field order, the fields set (None: all of them), and where the
  values that are tuples are (None: nowhere), so that the others are not looked at;
* ``("l", items, tagged)`` and ``("D", {key: value}, tagged keys)``: a list or a dict holding
  any of these;
* ``("p", bytes)``: anything else, pickled.

A record is always a model, and model and dict keys are always strings.

A blob is decoded only by the code of the Kaplan that wrote it: the cache's entries are keyed by
a hash of the models' source and the Python version (``marshal`` changes with it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import marshal
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from pydantic_core import TzInfo

from kaplan_tui.core import models, settings
from kaplan_tui.core.records import Blob

_MODULES = (models, settings)
"""Where the models and enums packed by name are."""

_PLAIN = frozenset({str, int, float, bool, type(None)})
_set = object.__setattr__


_ours: dict[type, tuple[str, ...] | None] = {}


def _by_name(name: str) -> Any:
    """The class called ``name`` in the models' modules (None if there is none)."""
    for module in _MODULES:
        found = getattr(module, name, None)
        if found is not None:
            return found
    return None


def _fields_of(cls: type) -> tuple[str, ...] | None:
    """The field names of a model of :data:`_MODULES` (empty for one of their enums); None
    for any other class."""
    if cls not in _ours:
        home = {module.__name__ for module in _MODULES}
        ours = cls.__module__ in home and _by_name(cls.__name__) is cls
        if ours and issubclass(cls, BaseModel) and not cls.__private_attributes__:
            _ours[cls] = tuple(cls.model_fields)
        else:
            _ours[cls] = () if ours and issubclass(cls, enum.Enum) else None
    return _ours[cls]


def _tagged(items: list[Any]) -> list[int] | None:
    """Where the encoded values that need decoding (tuples) are, if any."""
    return [i for i, item in enumerate(items) if type(item) is tuple] or None


def _encode(value: Any) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        items = [item if type(item) in _PLAIN else _encode(item) for item in value]
        fix = _tagged(items)
        return items if fix is None else ("l", items, fix)
    if kind is dict and all(type(key) is str for key in value):
        out = {k: item if type(item) in _PLAIN else _encode(item) for k, item in value.items()}
        keys = [k for k, item in out.items() if type(item) is tuple]
        return out if not keys else ("D", out, keys)
    if kind is dt.date:
        return ("d", value.toordinal())
    if kind is dt.datetime and not value.fold:
        tz = value.tzinfo
        if tz is None or type(tz) is TzInfo:
            delta = value.utcoffset()
            offset = None if delta is None else int(delta.total_seconds())
            return ("t", *value.timetuple()[:6], value.microsecond, offset)
    names = _fields_of(kind)
    if names == ():  # one of the models' enums
        return ("e", kind.__name__, value.value)
    if names:
        state = value.__dict__
        if value.__pydantic_extra__ is None and tuple(state) == names:
            fields_set = value.__pydantic_fields_set__
            values = [v if type(v) in _PLAIN else _encode(v) for v in state.values()]
            return (
                "m",
                kind.__name__,
                values,
                None if len(fields_set) == len(names) else sorted(fields_set),
                _tagged(values),
            )
    import pickle  # rare: most workspaces hold no such value, and a brief never imports it

    return ("p", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def pack(record: BaseModel) -> bytes:
    """The bytes of one record (see the module's docstring)."""
    return marshal.dumps(_encode(record))


def pack_field(record: BaseModel, field: str) -> bytes:
    """The bytes of one field of ``record`` alone, which :func:`field_reader` reads."""
    return marshal.dumps(_encode(getattr(record, field)))


def pack_value(value: Any) -> Any:
    """A value as :func:`pack` would hold it, for data that is marshalled together."""
    return _encode(value)


_zones: dict[int, TzInfo] = {}
_members: dict[tuple[str, Any], enum.Enum] = {}
_classes: dict[str, tuple[type[BaseModel], tuple[str, ...], frozenset[str]]] = {}


def _zone(offset: int) -> TzInfo:
    zone = _zones.get(offset)
    if zone is None:
        zone = _zones[offset] = TzInfo(offset)
    return zone


def _member(name: str, value: Any) -> enum.Enum:
    """The member of the models' enum ``name`` with ``value`` (a goal holds six enums: looked
    up once per member, not once per record)."""
    cls = _by_name(name)
    if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
        raise ValueError(f"not an enum: {name}")
    member = cls(value)
    with contextlib.suppress(TypeError):  # an unhashable value is only not remembered
        _members[name, value] = member
    return member


def _model_class(name: str) -> tuple[type[BaseModel], tuple[str, ...], frozenset[str]]:
    held = _classes.get(name)
    if held is None:
        cls = _by_name(name)
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
            raise ValueError(f"not a model: {name}")
        names = tuple(cls.model_fields)
        held = _classes[name] = (cls, names, frozenset(names))
    return held


def _decode(value: tuple[Any, ...]) -> Any:
    tag = value[0]
    if tag == "t":
        _, year, month, day, hour, minute, second, micro, offset = value
        zone = None if offset is None else _zone(offset)
        return dt.datetime(year, month, day, hour, minute, second, micro, zone)
    if tag == "d":
        return dt.date.fromordinal(value[1])
    if tag == "m":
        return _model(value)
    if tag == "l" or tag == "D":
        items = value[1]
        for where in value[2]:  # the list or dict is this blob's own: fixed in place
            items[where] = _decode(items[where])
        return items
    if tag == "e":
        try:
            return _members[value[1:]]
        except (KeyError, TypeError):
            return _member(value[1], value[2])
    if tag == "p":
        import pickle

        return pickle.loads(value[1])  # written by this user's own Kaplan: see cache.py
    raise ValueError(f"unknown tag {tag!r}")


_datetime, _fromordinal, _new = dt.datetime, dt.date.fromordinal, object.__new__


def _model(value: tuple[Any, ...]) -> BaseModel:
    # The hot path of unpacking (a model per record, some nested): dates and datetimes, the
    # values most often tagged, are decoded here rather than through _decode.
    _, name, values, fields_set, fix = value
    held = _classes.get(name) or _model_class(name)
    cls, names, every = held
    if len(values) != len(names):
        raise ValueError(f"{name}: {len(values)} values for {len(names)} fields")
    if fix is not None:
        for where in fix:  # the list is this blob's own: fixed in place
            item = values[where]
            tag = item[0]
            if tag == "t":
                offset = item[8]
                zone = None if offset is None else _zones.get(offset) or _zone(offset)
                _, year, month, day, hour, minute, second, micro, _ = item
                values[where] = _datetime(year, month, day, hour, minute, second, micro, zone)
            elif tag == "d":
                values[where] = _fromordinal(item[1])
            else:
                values[where] = _decode(item)
    # A validated model with this state, as validation made it, without validating again
    # (pydantic's own unpickling, through __setstate__, is three times slower).
    obj = _new(cls)
    _set(obj, "__dict__", dict(zip(names, values, strict=False)))  # lengths checked above
    _set(obj, "__pydantic_fields_set__", set(every if fields_set is None else fields_set))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def unpack_value(value: Any) -> Any:
    """What :func:`pack_value` was given."""
    return _decode(value) if type(value) is tuple else value


@functools.cache
def _positions(cls: type[BaseModel]) -> dict[str, int]:
    return {name: i for i, name in enumerate(cls.model_fields)}


class Picked:
    """A record's fields as a blob of :func:`pack` holds them, each decoded when first read."""

    __slots__ = ("_cls", "_done", "_positions", "_values", "_where")

    def __init__(self, cls: type[BaseModel], values: list[Any], where: str) -> None:
        self._cls = cls
        self._positions = _positions(cls)
        self._values = values
        self._where = where
        self._done: dict[str, Any] = {}

    def get(self, field: str) -> Any:
        """The value of ``field`` (AttributeError if the model has no such field)."""
        if field in self._done:
            return self._done[field]
        at = self._positions.get(field)
        if at is None:
            raise AttributeError(f"{self._cls.__name__!r} object has no attribute {field!r}")
        value = self._values[at]
        if type(value) is tuple:
            try:
                value = _decode(value)
            except Exception as exc:  # blobs are written by this code: only a damaged disk
                raise ValueError(f"{self._where}: damaged record ({exc})") from exc
        self._done[field] = value
        return value


def picker(cls: type[BaseModel], where: str) -> Callable[[Blob], Picked]:
    """A function from a blob of :func:`pack` to the fields of the ``cls`` record it holds,
    without making the record; ValueError naming ``where`` for a blob that is not such a
    record."""
    count = len(_positions(cls))

    def pick(blob: Blob) -> Picked:
        try:
            tag, name, values, _, _ = marshal.loads(blob)
            if tag != "m" or name != cls.__name__ or len(values) != count:
                raise ValueError(f"not a record of {cls.__name__}")
        except Exception as exc:  # blobs are written by this code: only a damaged disk
            raise ValueError(f"{where}: damaged record ({exc})") from exc
        return Picked(cls, values, where)

    return pick


def field_reader(where: str) -> Callable[[Blob], Any]:
    """A function from the bytes of :func:`pack_field` to the value they hold; ValueError
    naming ``where`` for bytes that are not such a value. A new value on every call."""

    def read(blob: Blob) -> Any:
        try:
            return unpack_value(marshal.loads(blob))
        except Exception as exc:  # blobs are written by this code: only a damaged disk
            raise ValueError(f"{where}: damaged record ({exc})") from exc

    return read


def unpacker(cls: type[BaseModel], where: str) -> Callable[[Blob], Any]:
    """A function from a blob of :func:`pack` to the ``cls`` record it holds; for anything
    else it raises ValueError naming ``where`` the blob came from."""

    def unpack(blob: Blob) -> Any:
        try:
            data = marshal.loads(blob)
            record = _model(data) if data[0] == "m" else _decode(data)
        except Exception as exc:  # blobs are written by this code: only a damaged disk
            raise ValueError(f"{where}: damaged record ({exc})") from exc
        if type(record) is not cls:
            raise ValueError(
                f"{where}: not a record of {cls.__name__} but of {type(record).__name__}"
            )
        return record

    return unpack
