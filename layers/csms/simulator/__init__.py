"""`csms simulate`: a fleet of simulated OCPP 1.6 and 2.0.1 chargers that load a CSMS like real ones."""
