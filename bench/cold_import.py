"""Cold import time of every Lambda handler module, against `import boto3` alone.

A cold start pays for importing the handler module before the first invocation. Each import is
timed in a fresh interpreter (so nothing is cached in `sys.modules`), with the environment the
functions get on AWS, several times in one run. Every import of a handler module is paired with
an `import boto3` timed just before it, so that both see the same load on a shared machine; the
ratios reported are the medians of the pairs' ratios, beside the median milliseconds of each.

Both the elapsed time and the CPU time of the import are reported: on a machine whose cores other
work shares, the elapsed time also counts the waits for a core, the CPU time does not (on an idle
machine, and on Lambda, the two are about the same).

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
BOTO3 = "boto3"
# Times the import alone: the interpreter's own start-up is the same for every module.
PROBE = (
    "import importlib, sys, time; start, cpu = time.perf_counter(), time.process_time(); "
    "importlib.import_module(sys.argv[1]); print(time.perf_counter() - start, time.process_time() - cpu)"
)


@dataclass(frozen=True)
class ImportTime:
    elapsed: float  # seconds
    cpu: float


def cold_import(module: str) -> ImportTime:
    """How long importing `module` takes in a new interpreter with the functions' environment."""
    environment = {**os.environ, **ENVIRONMENT, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers"), str(ROOT)])}
    completed = subprocess.run(  # noqa: S603 - this interpreter, a fixed probe
        [sys.executable, "-c", PROBE, module], capture_output=True, text=True, check=True, env=environment, cwd=ROOT
    )
    elapsed, cpu = completed.stdout.split()
    return ImportTime(float(elapsed), float(cpu))


def paired_cold_imports(module: str) -> tuple[ImportTime, ImportTime]:
    """`import boto3`, then importing `module`, one after the other."""
    return cold_import(BOTO3), cold_import(module)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="pairs of imports per module; the median is reported")
    arguments = parser.parse_args()

    boto3_times: list[ImportTime] = []
    rows = []
    for function in FUNCTIONS:
        pairs = [paired_cold_imports(function.import_path) for _ in range(arguments.repeat)]
        boto3_times.extend(boto3 for boto3, _ in pairs)
        elapsed_ms = statistics.median(time.elapsed for _, time in pairs) * 1000
        cpu_ms = statistics.median(time.cpu for _, time in pairs) * 1000
        elapsed_ratio = statistics.median(time.elapsed / boto3.elapsed for boto3, time in pairs)
        cpu_ratio = statistics.median(time.cpu / boto3.cpu for boto3, time in pairs)
        rows.append(f"| {function.name} | {elapsed_ms:.0f} | {cpu_ms:.0f} | {elapsed_ratio:.2f} | {cpu_ratio:.2f} |")

    boto3_elapsed_ms = statistics.median(time.elapsed for time in boto3_times) * 1000
    boto3_cpu_ms = statistics.median(time.cpu for time in boto3_times) * 1000
    print(
        f"`import {BOTO3}` alone, median of {len(boto3_times)}: {boto3_elapsed_ms:.0f} ms elapsed, "
        f"{boto3_cpu_ms:.0f} ms CPU"
    )
    print(f"Each module {arguments.repeat} times, each time after an `import {BOTO3}` (ratios: medians of the pairs)")
    print()
    print("| function | import ms | CPU ms | ratio to boto3 | CPU ratio to boto3 |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
