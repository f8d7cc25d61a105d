"""JSON text Python's `json` accepts and OCPP-J refuses, as raw fragments to put into frames."""

NESTED_30 = "[" * 30 + "]" * 30  # deeper than any OCPP message, shallow enough for Python's json
NESTED_5000 = "[" * 5000 + "]" * 5000  # beyond Python's recursion limit
# Not JSON numbers (NaN, ±Infinity): not JSON at all.
NOT_JSON_NUMBERS = ["NaN", "Infinity", "-Infinity"]
# JSON numbers out of range: beyond a double (±1e400), beyond I-JSON's exact integers, and a
# magnitude underflowing what the CSMS stores.
OUT_OF_RANGE_NUMBERS = ["1e400", "-1e400", "9007199254740993", "1e-200"]
HOSTILE_NUMBERS = [*NOT_JSON_NUMBERS, *OUT_OF_RANGE_NUMBERS]
# Lone surrogates: valid JSON escapes, but no Unicode text.
HOSTILE_STRINGS = ['"\\ud800"', '"tail \\udfff"', '"\\udc00\\ud800"']
# Member names twice, or empty (no OCPP object has one; DynamoDB cannot store it).
HOSTILE_OBJECTS = ['{"a": 1, "a": 2}', '{"": 1}']
