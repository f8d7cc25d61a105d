"""Reading the metrics the code publishes: Powertools writes them to stdout as EMF JSON lines."""

import json

import pytest

from csms.observability import metrics


class PublishedMetrics:
    """The metrics published from its creation on (read through pytest's `capsys`)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        metrics.clear_metrics()
        capsys.readouterr()
        self._capsys = capsys

    def total(self, name: str) -> float:
        """The sum of the values of metric `name` published so far (buffered ones are not published)."""
        values: list[float] = []
        for line in self._capsys.readouterr().out.splitlines():
            try:
                blob = json.loads(line)
            except ValueError:
                continue
            if isinstance(blob, dict) and "_aws" in blob and name in blob:
                value = blob[name]
                values.extend(value if isinstance(value, list) else [value])
        return sum(values)

    @staticmethod
    def publish_buffered() -> None:
        """Publish what is buffered, as the entry point (`metrics.log_metrics`) of a function does."""
        metrics.flush_metrics()
