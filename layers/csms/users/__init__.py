"""The people who run the CSMS: their roles, and the user directory (Cognito) that holds them."""
