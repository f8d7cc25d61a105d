"""One synthesis of the whole app, with cdk-nag, shared by every infra test.

The Lambda layer is not bundled (no pip run): `aws:cdk:bundling-stacks` is empty.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template
from cdk_nag import AwsSolutionsChecks

from stacks.config import CsmsConfig
from stacks.csms_stack import CsmsStack

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STACK_NAME = "Csms"


@dataclass(frozen=True)
class Synthesis:
    """What `cdk synth` produced: the template, and the validation error if cdk-nag refused it."""

    outdir: Path
    error: Exception | None

    @property
    def template(self) -> Template:
        return Template.from_json(json.loads((self.outdir / f"{STACK_NAME}.template.json").read_text()))

    @property
    def validation_report(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads((self.outdir / "validation-report.json").read_text())
        return report


def console_build(directory: Path) -> Path:
    """A stand-in for the console's build (`console/dist`): an index.html and one hashed bundle."""
    (directory / "assets").mkdir(parents=True, exist_ok=True)
    (directory / "index.html").write_text('<!doctype html><script src="/assets/index-abc123.js"></script>')
    (directory / "assets" / "index-abc123.js").write_text("console.log('console');")
    return directory


def synthesize(outdir: Path, **context: Any) -> Synthesis:
    """Synthesize like `cdk synth` (cdk.json context + cdk-nag), without bundling, with a stand-in
    console build unless the context names one."""
    cdk_json = json.loads((PROJECT_ROOT / "cdk.json").read_text())
    console_dist = context.pop("consoleDist", None) or str(console_build(outdir.parent / f"{outdir.name}-console"))
    app = cdk.App(
        outdir=str(outdir),
        context={**cdk_json["context"], **context, "consoleDist": console_dist, "aws:cdk:bundling-stacks": []},
    )
    CsmsStack(app, STACK_NAME, config=CsmsConfig.from_context(app.node))
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    try:
        app.synth()
    except RuntimeError as error:  # jsii surfaces "ValidationFailed" as a RuntimeError
        return Synthesis(outdir, error)
    return Synthesis(outdir, None)


@pytest.fixture(scope="session")
def synthesis(tmp_path_factory: pytest.TempPathFactory) -> Synthesis:
    return synthesize(tmp_path_factory.mktemp("cdk.out"))


@pytest.fixture(scope="session")
def template(synthesis: Synthesis) -> Template:
    return synthesis.template


@pytest.fixture(scope="session")
def resources(template: Template) -> dict[str, Any]:
    resources: dict[str, Any] = template.to_json()["Resources"]
    return resources
