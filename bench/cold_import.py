"""Cold import time of every Lambda handler module, against `import boto3` alone.

A cold start pays for importing the handler module before the first invocation. Each import is
timed in a fresh interpreter (so nothing is cached in `sys.modules`), with the environment the
functions get on AWS, several times in one run. Every import of a handler module is paired with
an `import boto3` timed just before it, so that both see the same load on a shared machine: the
ratio reported is the median of the pairs' ratios, beside the median milliseconds of each.

    python -m bench.cold_import [--repeat N]
"""

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.cost_per_message import ENVIRONMENT
from csms.function_catalogue import FUNCTIONS

ROOT = Path(__file__).resolve().parents[1]
BOTO3 = "boto3"
# Times the import alone: the interpreter's own start-up is the same for every module.
PROBE = (
    "import importlib, sys, time; start = time.perf_counter(); importlib.import_module(sys.argv[1]); "
    "print(time.perf_counter() - start)"
)


def cold_import_seconds(module: str) -> float:
    """Seconds to import `module` in a new interpreter with the functions' environment."""
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers"), str(ROOT)])}
    completed = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", PROBE, module], capture_output=True, text=True, check=True, env=environment, cwd=ROOT
    )
    return float(completed.stdout)


def paired_cold_imports(module: str) -> tuple[float, float]:
    """Seconds of `import boto3`, then of importing `module`, one after the other."""
    return cold_import_seconds(BOTO3), cold_import_seconds(module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pairs of imports per module; the median is reported")
    arguments = parser.parse_args()

    boto3_seconds: list[float] = []
    rows = []
    for function in FUNCTIONS:
        pairs = [paired_cold_imports(function.import_path) for _ in range(arguments.repeat)]
        boto3_seconds.extend(boto3 for boto3, _ in pairs)
        milliseconds = statistics.median(seconds for _, seconds in pairs) * 1000
        ratio = statistics.median(seconds / boto3 for boto3, seconds in pairs)
        rows.append(f"| {function.name} | {function.import_path} | {milliseconds:.0f} | {ratio:.2f} |")

    boto3_ms = statistics.median(boto3_seconds) * 1000
    print(f"Median of {len(boto3_seconds)} cold imports, `import {BOTO3}` alone: {boto3_ms:.0f} ms")
    print(f"Each module {arguments.repeat} times, each time after an `import {BOTO3}` (ratio: median of the pairs)")
    print()
    print("| function | module | import ms | ratio to boto3 |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
