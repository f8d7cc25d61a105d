"""OCPP 2.0.1: `mappers` between its payloads and the domain, `handlers` of what a charging station sends."""
