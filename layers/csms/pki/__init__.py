"""The CSMS's own certificate authority: charging stations' certificates signed by a KMS key, and their inventory.

`authority` assembles certificates around the signer's signature (the private key never leaves KMS),
`signing_requests` checks a station's CSR, `service` answers SignCertificate and keeps the inventory,
`renewal` asks stations for a new certificate before theirs expires.
"""
