"""OCPP 1.6J: `mappers` between its payloads and the domain, `handlers` of what a charge point sends."""
