"""The OCPP path rewrite of the public endpoint, shared by `csms local` (`csms.local.cloudfront`).

On AWS the CloudFront Function `stacks/cloudfront/ocpp_path_rewrite.js` applies this rule at
the edge; the infra tests run both on the same paths and check that they agree.
"""

from typing import Final

from csms.constants import OCPP_PATH_PREFIX

# CloudFront cannot forward `Authorization` through an origin request policy, so the edge
# function copies it into this header, which is the one the authorizer reads (a gateway
# applying this rewrite must copy it too).
AUTHORIZATION_COPY_HEADER: Final = "x-ocpp-authorization"


def rewrite_ocpp_path(path: str) -> str | None:
    """Return the raw (still percent-encoded) charge point id of `/ocpp/{id}`, else None (404).

    Exactly one non-empty segment must follow the prefix; a query string is ignored.
    """
    path = path.partition("?")[0]
    if not path.startswith(OCPP_PATH_PREFIX):
        return None
    charge_point_id = path[len(OCPP_PATH_PREFIX) :]
    if not charge_point_id or "/" in charge_point_id:
        return None
    return charge_point_id
