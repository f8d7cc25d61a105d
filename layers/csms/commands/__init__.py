"""Remote commands: CALLs the CSMS sends to charge points, run as Step Functions workflows.

Plain Python like `csms.domain`: the workflow definition, the steps its worker performs, the
matching of a charge point's answer to the call it answers, and the operator-facing service.
AWS is reached only through `ports`.
"""
