"""`GET /api/health` every tenth of a second, as a load balancer's health check would: each probe is
sent on time in a thread of its own, whether or not the earlier ones were answered (a slow API gets
as many probes as a fast one), and its latency, or its failure, is kept with the time it was sent."""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import URLError
from urllib.request import urlopen

from csms.simulator.statistics import percentile

PROBE_TIMEOUT_SECONDS = 5.0
FAILED = math.inf  # a failed probe ranks behind every answer


@dataclass(frozen=True)
class HealthFigures:
    probes: int
    failures: int
    p50: float  # seconds; FAILED when that many probes failed
    p99: float


class HealthProbe:
    def __init__(self, api_url: str, interval: float = 0.1) -> None:
        self._url = f"{api_url.rstrip('/')}/health"
        self._interval = interval
        self._samples: list[tuple[float, float]] = []  # (sent at, seconds or FAILED)
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
        latencies = sorted(seconds for sent, seconds in list(self._samples) if start <= sent < end)
        failures = sum(1 for seconds in latencies if seconds == FAILED)
        return HealthFigures(len(latencies), failures, percentile(latencies, 0.5), percentile(latencies, 0.99))

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
                latency = time.monotonic() - sent if response.status == 200 else FAILED
        except (URLError, OSError):
            latency = FAILED
        self._samples.append((sent, latency))
