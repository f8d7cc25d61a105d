"""AWS CDK app of the CSMS: one stack composed of one construct per concern."""
