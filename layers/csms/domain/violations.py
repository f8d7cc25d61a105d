"""The errors an operator's request gets when it breaks a rule of the domain."""


class RuleViolationError(ValueError):
    """What was asked breaks a rule; the message says which (the operator API answers 400 with it)."""


class InvalidValuesError(RuleViolationError):
    """Values that cannot be right (a limit below the minimum current, overlapping periods, a site that does not
    exist): the operator API answers 422 with every reason, as it does a request that fails validation."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
