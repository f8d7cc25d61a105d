"""What the Lambda layer's bytecode saves a cold start: the layer built as `cdk deploy` builds it, for this
interpreter's Python version (bytecode is specific to one), with its bytecode and with sources only.

Lambda cannot write bytecode into a layer, so a layer of sources only compiles every module a cold start imports
(`stacks.layer_bundling`). Each import is timed as `bench.cold_import` times it: `import boto3` first (from this
environment either way), then the handler module, in CPU time, in new interpreters, alternating the two layers.
pip downloads the layer's wheels for this machine's platform.

    python -m bench.layer_bytecode [--repeat N]
"""

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.cold_import import IMPORT, IMPORT_AND_FIRST_REQUEST, ROOT, ColdImport, timed_after_boto3
from stacks.layer_bundling import LayerBundling

CASES = [
    ("Message import", IMPORT, ("functions.ocpp_message",)),
    ("OperatorApi import", IMPORT, ("functions.operator_api",)),
    ("OperatorApi import and first request", IMPORT_AND_FIRST_REQUEST, ()),
]


def build_layers(directory: Path) -> tuple[Path, Path]:
    """The layer with its bytecode, and a copy of it with sources only."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    bundling = LayerBundling(ROOT / "layers", platform=f"manylinux2014_{platform.machine()}", python_version=version)
    bundling.try_bundle(str(directory / "compiled"))
    compiled = directory / "compiled" / "python"
    sources = directory / "sources" / "python"
    shutil.copytree(compiled, sources, ignore=shutil.ignore_patterns("__pycache__"))
    return compiled, sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="interpreters per case and layer; medians reported")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        compiled, sources = build_layers(Path(directory))
        print("CPU ms after `import boto3`, medians of", arguments.repeat)
        print()
        print("| | sources only | with bytecode |")
        print("|---|---|---|")
        for name, probe, probe_arguments in CASES:
            runs: dict[Path, list[ColdImport]] = {sources: [], compiled: []}
            for _ in range(arguments.repeat):
                for layer, timed in runs.items():
                    timed.append(timed_after_boto3(probe, *probe_arguments, layer=layer))
            median_ms = {layer: statistics.median(run.rest for run in timed) * 1000 for layer, timed in runs.items()}
            print(f"| {name} | {median_ms[sources]:.0f} | {median_ms[compiled]:.0f} |")
        size_mb = {layer: sum(f.stat().st_size for f in layer.rglob("*") if f.is_file()) / 1e6 for layer in runs}
        print()
        print(f"Layer: {size_mb[sources]:.0f} MB of sources only, {size_mb[compiled]:.0f} MB with bytecode (unzipped)")


if __name__ == "__main__":
    main()
