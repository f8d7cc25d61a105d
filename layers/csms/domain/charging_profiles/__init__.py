"""The charging profiles each charge point holds: the set, the rules that change it, and what it lets a
session draw.

`installed` is the set and its rules (pure); `schedules` evaluates a schedule at a moment;
`effective_limits` reads a session's limit in amps from the set; `service` keeps the set per charge
point through its repository.
"""
