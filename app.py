#!/usr/bin/env python3
"""CDK entry point: `npx cdk synth` (or `python app.py` with CDK_OUTDIR set)."""

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from stacks.config import CsmsConfig
from stacks.csms_stack import CsmsStack

app = cdk.App()
CsmsStack(app, "Csms", config=CsmsConfig.from_context(app.node), description="Serverless OCPP CSMS")
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
app.synth()
