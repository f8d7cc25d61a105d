"""Reading the metrics the code publishes: Powertools writes them to stdout as EMF JSON lines."""

import json
from typing import Any

import pytest

from csms.observability import metrics


class PublishedMetrics:
    """The metrics published from its creation on (read through pytest's `capsys`)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        metrics.clear()
        capsys.readouterr()
        self._capsys = capsys
        self.documents: list[dict[str, Any]] = []

    def total(self, name: str, **dimensions: str) -> float:
        """The sum of the values of metric `name` (with these dimension values) published so far
        (buffered ones are not published)."""
        self._read()
        values: list[float] = []
        for document in self.documents:
            if name in document and all(document.get(key) == value for key, value in dimensions.items()):
                value = document[name]
                values.extend(value if isinstance(value, list) else [value])
        return sum(values)

    def _read(self) -> None:
        for line in self._capsys.readouterr().out.splitlines():
            try:
                document = json.loads(line)
            except ValueError:
                continue
            if isinstance(document, dict) and "_aws" in document:
                self.documents.append(document)

    @staticmethod
    def publish_buffered() -> None:
        """Publish what is buffered, as the entry point (`metrics.log_metrics`) of a function does."""
        metrics.publish()
