"""Cold import time of every Lambda handler module, against `import boto3` alone.

A cold start pays for importing the handler module before the first invocation. Each import is
timed in a fresh interpreter (so nothing is cached in `sys.modules`), with the environment the
functions get on AWS, several times in one run; the median is reported beside the median of
`import boto3` measured the same way, and their ratio.

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


def median_cold_import_ms(module: str, repeat: int) -> float:
    return statistics.median(cold_import_seconds(module) for _ in range(repeat)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="imports per module; the median is reported")
    arguments = parser.parse_args()

    boto3_ms = median_cold_import_ms(BOTO3, arguments.repeat)
    print(f"Median of {arguments.repeat} cold imports each, `import {BOTO3}` alone: {boto3_ms:.0f} ms")
    print()
    print("| function | module | import ms | ratio to boto3 |")
    print("|---|---|---|---|")
    for function in FUNCTIONS:
        milliseconds = median_cold_import_ms(function.import_path, arguments.repeat)
        print(f"| {function.name} | {function.import_path} | {milliseconds:.0f} | {milliseconds / boto3_ms:.2f} |")


if __name__ == "__main__":
    main()
