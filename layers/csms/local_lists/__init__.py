"""Local authorization lists kept in sync by the CSMS itself (`sync`), as id tokens and chargers change
(`triggers`)."""
