"""Lambda entry points: thin handlers over `csms.handlers` (one module per function).

`csms.function_catalogue` lists them with their triggers. On AWS each module is the handler of
one function (`<module>.handler`); the embedded runtime (`csms local`) imports the very same
modules and invokes them with the events their triggers send.
"""
