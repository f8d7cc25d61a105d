"""`built_once`: an attribute built on first use, once, even when threads ask for it at once.

The composition root builds each service and repository on first use, so a function imports and
builds only what its invocations need (a cold start, `bench.cold_import`). `functools.cached_property`
would do it, but since Python 3.12 it takes no lock, and the embedded runtime's handler threads
must share one instance of each (a service can keep a cache, such as the connections it knows).
"""

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class Lazy:
    """Holds the lock its `built_once` attributes are built under (reentrant: one may need another)."""

    def __init__(self) -> None:
        self._building = threading.RLock()


class built_once(Generic[T]):  # a decorator, named like functools.cached_property
    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> "built_once[T]": ...

    @overload
    def __get__(self, instance: Lazy, owner: type) -> T: ...

    def __get__(self, instance: Lazy | None, owner: type) -> "T | built_once[T]":
        if instance is None:
            return self
        with instance._building:
            # Stored on the instance: later look-ups find it there, without this descriptor or its lock.
            if self._name not in instance.__dict__:
                instance.__dict__[self._name] = self._build(instance)
        value: T = instance.__dict__[self._name]
        return value
