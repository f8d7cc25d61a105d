"""`GET /api/health` every tenth of a second, as a load balancer's health check would: each probe is
sent on time in a thread of its own, whether or not the earlier ones were answered (a slow API gets
as many probes as a fast one), and its latency, or its failure, is kept with the time it was sent."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from csms.simulator.statistics import percentile

PROBE_TIMEOUT_SECONDS = 5.0
FAILED = math.inf  # a failed probe ranks behind every answer


@dataclass(frozen=True)
class HealthFigures:
    probes: int
    failures: Counter[str]  # by reason: "HTTP 503", "timed out", ...
    p50: float  # seconds; FAILED when that many probes failed
    p99: float


class HealthProbe:
    def __init__(self, api_url: str, interval: float = 0.1) -> None:
        self._url = f"{api_url.rstrip('/')}/health"
        self._interval = interval
        self._samples: list[tuple[float, float, str]] = []  # (sent at, seconds or FAILED, why it failed)
        self._stopped = threading.Event()
        self._probes = ThreadPoolExecutor(max_workers=math.ceil(PROBE_TIMEOUT_SECONDS / interval) + 1)
        self._clock = threading.Thread(target=self._send_on_time, name="health-probe", daemon=True)

    def start(self) -> None:
        self._clock.start()

    def stop(self) -> None:
        self._stopped.set()
        self._clock.join()
        self._probes.shutdown(wait=True)

    def between(self, start: float, end: float) -> HealthFigures:
        """The probes sent from `start` to `end` (time.monotonic())."""
        samples = [(seconds, failure) for sent, seconds, failure in list(self._samples) if start <= sent < end]
        latencies = sorted(seconds for seconds, _ in samples)
        failures = Counter(failure for _, failure in samples if failure)
        return HealthFigures(len(samples), failures, percentile(latencies, 0.5), percentile(latencies, 0.99))

    def _send_on_time(self) -> None:
        next_probe = time.monotonic()
        while not self._stopped.wait(max(0.0, next_probe - time.monotonic())):
            self._probes.submit(self._probe)
            next_probe += self._interval

    def _probe(self) -> None:
        sent = time.monotonic()
        try:
            with urlopen(self._url, timeout=PROBE_TIMEOUT_SECONDS) as response:  # noqa: S310 - loopback
                response.read()
            self._samples.append((sent, time.monotonic() - sent, ""))
        except (URLError, OSError) as error:
            self._samples.append((sent, FAILED, _failure(error)))


def _failure(error: URLError | OSError) -> str:
    if isinstance(error, HTTPError):
        return f"HTTP {error.code}"
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, ConnectionResetError):
        return "reset"
    return type(reason).__name__ if isinstance(reason, BaseException) else str(reason)
