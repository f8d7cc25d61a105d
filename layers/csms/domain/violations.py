"""The one error an operator's request gets when it breaks a rule of the domain."""


class RuleViolationError(ValueError):
    """What was asked breaks a rule; the message says which (the operator API answers 400 with it)."""
