"""Constructs of the CSMS stack, one module per concern."""
