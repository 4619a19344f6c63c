"""One catalog of words: every user-facing word of ecoplan, in zh and en.

The words live in ``words.yaml`` beside this module (``key: {zh: ..., en: ...}``, keys
dotted by area: ``status.achieved``, ``reason.no_baseline`` ...). A domain package adds
its own file with :func:`register`, under its own prefix; a key is defined once.

>>> word("status.achieved", "zh")
'已实现'
>>> word("reason.no_value", "en", year=2020)
'no value for 2020'
>>> Reason("no_value", {"year": 2020}).text("zh")
'缺少2020年数据'

Parameters are ``str.format`` fields. A field with a format spec (``{share:.0%}``) is
formatted as written; without one, numbers are shown plainly (``2.50`` -> ``2.5``, no
exponent), ``None`` as ``—``, a nested :class:`Reason` as its text, and a mapping with
the language as a key (``{"zh": "北京市", "en": "Beijing"}``) by the language. A missing
parameter is an error (:class:`MissingParam`), never a silent ``{x}``; parameters the
text does not use are allowed (a reason may carry numbers for machines).

This module imports nothing else of ecoplan.
"""

from __future__ import annotations

import math
import os
import re
import string
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import yaml

__all__ = [
    "LANGS",
    "Catalog",
    "CatalogError",
    "MissingParam",
    "MissingWord",
    "Reason",
    "Words",
    "has",
    "keys",
    "params",
    "register",
    "word",
]

LANGS: Final = ("zh", "en")
#: How ``None`` shows in a text.
NONE_TEXT: Final = "—"
_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CatalogError(ValueError):
    """A words file is malformed, or defines a key another file already defines."""


class MissingWord(KeyError):
    """The catalog has no word for the key."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key

    def __str__(self) -> str:
        return f"no word {self.key!r} in the catalog"


class MissingParam(KeyError):
    """A word needs a parameter the caller did not give."""

    def __init__(self, key: str, param: str) -> None:
        super().__init__(key, param)
        self.key = key
        self.param = param

    def __str__(self) -> str:
        return f"word {self.key!r} needs the parameter {self.param!r}"


def _plain(x: Any) -> str:
    """A number as plain decimal text: no exponent, no trailing zeros."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    f = float(x)
    if not math.isfinite(f):
        return NONE_TEXT if math.isnan(f) else ("∞" if f > 0 else "-∞")
    d = Decimal(x) if isinstance(x, Decimal) else Decimal(repr(f))
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "") else text


class _Formatter(string.Formatter):
    def __init__(self, key: str, lang: str) -> None:
        self.key = key
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int) or key not in kwargs:
            raise MissingParam(self.key, str(key))
        return kwargs[key]

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Reason):
            value = value.text(self.lang)
        elif isinstance(value, Mapping) and self.lang in value:
            value = value[self.lang]
        if format_spec:
            return format(value, format_spec)
        if value is None:
            return NONE_TEXT
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return _plain(value)
        return str(value)


def _fields(text: str, where: str) -> frozenset[str]:
    """The parameter names of a text (``CatalogError`` for positional or odd fields)."""
    names = set()
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise CatalogError(f"{where}: {exc}") from exc
    for _, name, spec, _ in parsed:
        if name is None:
            continue
        if not _FIELD.fullmatch(name):
            raise CatalogError(f"{where}: field {{{name}}} is not a parameter name")
        if spec and "{" in spec:
            raise CatalogError(f"{where}: nested field in the format spec of {{{name}}}")
        names.add(name)
    return frozenset(names)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping."""


def _mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        k = loader.construct_object(key_node, deep=deep)
        if k in seen:
            raise CatalogError(f"key {k!r} given twice (line {key_node.start_mark.line + 1})")
        seen.add(k)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

Source = str | os.PathLike[str] | Traversable


def _read(source: Source) -> tuple[str, dict[str, dict[str, str]]]:
    """The name and the entries of a words file, validated."""
    if isinstance(source, str | os.PathLike):
        path: Traversable = Path(source)
    else:
        path = source
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{name}: cannot read ({exc})") from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except CatalogError as exc:
        raise CatalogError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{name}: not valid YAML ({exc})") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CatalogError(f"{name}: expected a mapping of key -> {{zh, en}}")
    out: dict[str, dict[str, str]] = {}
    for key, entry in data.items():
        where = f"{name}: {key}"
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise CatalogError(f"{where}: a key is dotted lowercase words (area.name)")
        if not isinstance(entry, dict) or set(entry) != set(LANGS):
            raise CatalogError(f"{where}: expected exactly {' and '.join(LANGS)}")
        texts: dict[str, str] = {}
        for lang in LANGS:
            t = entry[lang]
            if not isinstance(t, str) or not t.strip():
                raise CatalogError(f"{where}: {lang} must be a non-empty text")
            texts[lang] = t
        f = {lang: _fields(texts[lang], f"{where} ({lang})") for lang in LANGS}
        if len(set(f.values())) != 1:
            shown = "; ".join(f"{lang} {sorted(f[lang])}" for lang in LANGS)
            raise CatalogError(f"{where}: zh and en take different parameters ({shown})")
        out[key] = texts
    return name, out


@dataclass
class Catalog:
    """Words from the built-in files (``words.yaml`` and the other ``*.yaml`` beside it)
    and the files registered after them.

    The built-in file is read on first use. ``builtin=False`` gives an empty catalog
    (tests).
    """

    builtin: bool = True
    _texts: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _origin: dict[str, str] = field(default_factory=dict, repr=False)
    _params: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _loaded: bool = field(default=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def _ensure(self) -> None:
        if self._loaded:
            return
        with self._lock:
            if self._loaded:
                return
            if self.builtin:
                # words.yaml, then one file per surface (cli.yaml, web.yaml, …): a key once in all
                here = resources.files(__name__)
                files = (f for f in here.iterdir() if f.name.endswith(".yaml"))
                for f in sorted(files, key=lambda f: (f.name != "words.yaml", f.name)):
                    self._add(f, None)
            self._loaded = True

    def _add(self, source: Source, prefix: str | None) -> list[str]:
        name, entries = _read(source)
        if name in set(self._origin.values()):
            return []  # the same file again (an import run twice): nothing new
        if prefix is not None:
            outside = [k for k in entries if not k.startswith(prefix + ".")]
            if outside:
                raise CatalogError(f"{name}: key {outside[0]!r} is not under the prefix {prefix!r}")
        for k in entries:
            if k in self._texts:
                raise CatalogError(f"{name}: key {k!r} is already defined in {self._origin[k]}")
        for k, texts in entries.items():
            self._texts[k] = texts
            self._origin[k] = name
            self._params[k] = _fields(texts[LANGS[0]], k)
        return list(entries)

    def register(self, source: Source, *, prefix: str | None = None) -> list[str]:
        """Add the words of a file (a path, or ``importlib.resources.files(pkg) / "words.yaml"``).

        Every key must be new (``CatalogError`` naming both files otherwise; nothing is
        added then) and, with ``prefix``, start with ``prefix.``. Registering the same
        file twice adds nothing. Returns the keys added.
        """
        self._ensure()
        with self._lock:
            return self._add(source, prefix)

    def has(self, key: str) -> bool:
        self._ensure()
        return key in self._texts

    def keys(self) -> list[str]:
        """Every key, sorted."""
        self._ensure()
        return sorted(self._texts)

    def params(self, key: str) -> frozenset[str]:
        """The parameter names of ``key``'s texts (the same in every language)."""
        self._ensure()
        if key not in self._params:
            raise MissingWord(key)
        return self._params[key]

    def origin(self, key: str) -> str:
        """The file that defines ``key``."""
        self._ensure()
        if key not in self._origin:
            raise MissingWord(key)
        return self._origin[key]

    def raw(self, key: str, lang: str) -> str:
        """The text of ``key`` as written in the catalog, fields unfilled."""
        _check_lang(lang)
        self._ensure()
        try:
            return self._texts[key][lang]
        except KeyError:
            raise MissingWord(key) from None

    def word(self, key: str, lang: str, /, **params: Any) -> str:
        """The text of ``key`` in ``lang`` with ``params`` filled in."""
        text = self.raw(key, lang)
        if not self._params[key]:
            return text.replace("{{", "{").replace("}}", "}")
        return _Formatter(key, lang).vformat(text, (), params)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: one of {', '.join(LANGS)}")


#: The catalog of the process: the built-in words and every domain file registered.
CATALOG: Final = Catalog()


def word(key: str, lang: str, /, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (``zh`` or ``en``) with ``params`` filled in.

    Raises :class:`MissingWord` for an unknown key, :class:`MissingParam` for a
    parameter the text needs and ``params`` lacks, ``ValueError`` for another language.
    """
    return CATALOG.word(key, lang, **params)


def has(key: str) -> bool:
    """Is ``key`` in the catalog?"""
    return CATALOG.has(key)


def keys() -> list[str]:
    """Every key of the catalog, sorted."""
    return CATALOG.keys()


def params(key: str) -> frozenset[str]:
    """The parameter names ``key`` takes."""
    return CATALOG.params(key)


def register(source: Source, *, prefix: str | None = None) -> list[str]:
    """Add a domain package's words file to the catalog (see :meth:`Catalog.register`)::

    register(importlib.resources.files("ecoplan.air") / "words.yaml", prefix="air")
    """
    return CATALOG.register(source, prefix=prefix)


_JSON_SCALARS = (str, int, float, bool, type(None))


def _param_to_json(value: object, where: str) -> Any:
    if isinstance(value, Reason):
        return value.to_dict()
    if isinstance(value, _JSON_SCALARS):
        return value
    if isinstance(value, Mapping) and all(isinstance(k, str) for k in value):
        return {k: _param_to_json(v, where) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_param_to_json(v, where) for v in value]
    raise TypeError(f"{where}: parameter of type {type(value).__name__} has no JSON form")


def _param_from_json(value: Any) -> object:
    if isinstance(value, Mapping):
        if set(value) == {"code", "params"}:
            return Reason.from_dict(value)
        return {k: _param_from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_param_from_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Reason:
    """Why: a code (the word ``reason.<code>``) and its parameters, for any language.

    ``params`` may hold numbers, texts, ``None``, ``{"zh": ..., "en": ...}`` names and
    nested reasons (``Reason("on_schedule", {"basis": Reason("basis.linear", ...)})``).
    """

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def key(self) -> str:
        return f"reason.{self.code}"

    def text(self, lang: str, catalog: Catalog | None = None) -> str:
        """The reason in ``lang``."""
        return (catalog or CATALOG).word(self.key, lang, **self.params)

    def to_dict(self) -> dict[str, Any]:
        """``{"code": ..., "params": {...}}``, JSON-ready (nested reasons as dicts)."""
        return {
            "code": self.code,
            "params": {k: _param_to_json(v, self.key) for k, v in self.params.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        """The reason :meth:`to_dict` gave."""
        code = data.get("code")
        if not isinstance(code, str) or not code:
            raise ValueError(f"a reason needs a code: {data!r}")
        ps = data.get("params") or {}
        if not isinstance(ps, Mapping):
            raise ValueError(f"reason {code!r}: params must be a mapping")
        return cls(code, {str(k): _param_from_json(v) for k, v in ps.items()})


class Words:
    """The catalog bound to one language, for templates: ``w("status.achieved")``.

    ``w.get(key, default)`` gives ``default`` (or the key) for an unknown key,
    ``w.reason(r)`` the text of a :class:`Reason` or of its ``to_dict()`` form.
    """

    __slots__ = ("catalog", "lang")

    def __init__(self, lang: str, catalog: Catalog | None = None) -> None:
        _check_lang(lang)
        self.lang = lang
        self.catalog = catalog or CATALOG

    def __call__(self, key: str, /, **params: Any) -> str:
        return self.catalog.word(key, self.lang, **params)

    def get(self, key: str, default: str | None = None, /, **params: Any) -> str:
        if not self.catalog.has(key):
            return key if default is None else default
        return self.catalog.word(key, self.lang, **params)

    def has(self, key: str) -> bool:
        return self.catalog.has(key)

    def reason(self, reason: Reason | Mapping[str, Any]) -> str:
        r = reason if isinstance(reason, Reason) else Reason.from_dict(reason)
        return r.text(self.lang, self.catalog)

    def __iter__(self) -> Iterator[str]:
        return iter(self.catalog.keys())

    def __repr__(self) -> str:
        return f"Words({self.lang!r})"
