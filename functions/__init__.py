"""Lambda entry points: thin handlers over `csms.handlers` (one module per function).

On AWS each module is the handler of one function (`<module>.handler`); the embedded runtime
(`csms local`) imports the very same modules and invokes them with API-Gateway-shaped events.
"""
