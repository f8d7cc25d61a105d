"""OCPP-J on the wire, below every other `csms` package (and importing none of them).

`versions`: the versions spoken, their subprotocols, message types and CALLERROR spellings;
`errors`: the CALLERROR codes as the program names them; `json_text`: the JSON OCPP-J allows;
`frames`: a frame decoded once into one representation, and replies encoded;
`ocpp_library`: schema validation and payload conversion by the `ocpp` library.
Modules are imported one by one (nothing is re-exported here): the authorizer needs only
`versions`, and should not load the schemas.
"""
