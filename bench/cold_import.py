"""Cold import time of every Lambda handler module, against `import boto3` alone.

A cold start pays for importing the handler module before the first invocation. Each function is
timed in a fresh interpreter (so nothing is cached in `sys.modules`), with the environment the
functions get on AWS, several times in one run: `import boto3` first, then the handler module, each
timed. Every function but the operator API imports boto3 itself, so the two together are exactly
its cold import; the operator API imports botocore but not boto3 until a request needs it, so for
it the two together are an upper bound. The ratio reported is (boto3 + the rest) / boto3, the
median over the runs.

Why both in one interpreter: this VM's speed moves by a third from one second to the next (`import
boto3` alone took 361 to 634 ms of CPU within one minute), so imports timed in separate interpreters
gave ratios that moved by up to 0.4 between runs; timed one after the other in one interpreter, both
see the same moment, and the ratios move by about 0.02.

The operator API imports pydantic and its request validation with the first route a request
reaches, so its import and first request (`GET /api/health`, which needs no AWS service) are also
timed together, after `import boto3` in the same way.

CPU time is what the ratios use: on a machine whose cores other work shares, the elapsed time also
counts the waits for a core (on an idle machine, and on Lambda, the two are about the same).

    python -m bench.cold_import [--repeat N]
"""

import argparse
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.cost_per_message import ENVIRONMENT
from csms.function_catalogue import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
# `import boto3`, then what the probe's body does, each timed in CPU seconds.
PROBE = """
import importlib, sys, time
cpu = time.process_time()
import boto3
boto3_cpu = time.process_time() - cpu
{prepare}
cpu = time.process_time()
{timed}
print(boto3_cpu, time.process_time() - cpu)
"""
IMPORT = PROBE.format(prepare="", timed="importlib.import_module(sys.argv[1])")
# The event is built outside the timing.
IMPORT_AND_FIRST_REQUEST = PROBE.format(
    prepare="""
from csms.local.lambda_events import ApiInfo, http_api_event, lambda_context
api = ApiInfo(api_id="bench", stage="live", domain_name="bench.example")
event = http_api_event(api, method="GET", raw_path="/live/api/health", raw_query="", query=[], headers=[], body=b"",
                       source_ip="192.0.2.1", jwt_claims={})
context = lambda_context("operator_api")
""",
    timed="""
answer = importlib.import_module("functions.operator_api").handler(event, context)
assert answer["statusCode"] == 200, answer
""",
)


@dataclass(frozen=True)
class ColdImport:
    boto3: float  # CPU seconds of `import boto3`
    rest: float  # CPU seconds of what followed it in the same interpreter

    @property
    def ratio(self) -> float:
        return (self.boto3 + self.rest) / self.boto3


def timed_after_boto3(probe: str, *arguments: str, layer: Path = ROOT / "layers") -> ColdImport:
    """Run `probe` in a new interpreter with the functions' environment, importing the `csms` package and its
    dependencies from `layer` first."""
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": os.pathsep.join([str(layer), str(ROOT)])}
    completed = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", probe, *arguments], capture_output=True, text=True, check=True, env=environment, cwd=ROOT
    )
    boto3, rest = completed.stdout.split()
    return ColdImport(float(boto3), float(rest))


def row(name: str, runs: list[ColdImport]) -> str:
    boto3_ms = statistics.median(run.boto3 for run in runs) * 1000
    rest_ms = statistics.median(run.rest for run in runs) * 1000
    ratios = sorted(run.ratio for run in runs)
    return (
        f"| {name} | {boto3_ms:.0f} | {rest_ms:.0f} | {statistics.median(ratios):.2f} | "
        f"{ratios[0]:.2f} to {ratios[-1]:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="interpreters per function; the median is reported")
    arguments = parser.parse_args()

    print(f"Each function in {arguments.repeat} new interpreters: `import boto3`, then the handler module (CPU ms)")
    print()
    print("| function | import boto3 | then the handler module | ratio to boto3 | lowest to highest |")
    print("|---|---|---|---|---|")
    for function in FUNCTIONS:
        runs = [timed_after_boto3(IMPORT, function.import_path) for _ in range(arguments.repeat)]
        print(row(function.name, runs))
    runs = [timed_after_boto3(IMPORT_AND_FIRST_REQUEST) for _ in range(arguments.repeat)]
    print(row("OperatorApi, import and first request (GET /api/health: pydantic, validation)", runs))


if __name__ == "__main__":
    main()
