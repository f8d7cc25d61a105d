// CloudFront Function (cloudfront-js-2.0), viewer request, in front of the OCPP WebSocket API.
//
// API Gateway WebSocket APIs accept no path after the stage, while OCPP-J puts the charge
// point id in the last path segment. For /ocpp/{id} (exactly one non-empty segment) this moves
// the raw, still percent-encoded id into the x-ocpp-charge-point-id header and sends "/" to
// the origin (whose origin path is the stage); every other path gets a 404 at the edge.
//
// Headers only CloudFront may set are removed first, so a client cannot forge them.
// Authorization cannot be forwarded by an origin request policy (CloudFront answers 400), so
// it is copied into x-ocpp-authorization, which the origin request policy forwards.
//
// layers/csms/gateway_path.py is the Python twin used by the local gateway; the infra tests
// check that both agree.

var PREFIX = '/ocpp/';
var CHARGE_POINT_ID_HEADER = 'x-ocpp-charge-point-id';
var ORIGIN_VERIFY_HEADER = 'x-origin-verify';
var AUTHORIZATION_COPY_HEADER = 'x-ocpp-authorization';

function chargePointId(uri) {
    var path = uri.split('?')[0];
    if (path.indexOf(PREFIX) !== 0) {
        return null;
    }
    var id = path.substring(PREFIX.length);
    if (id.length === 0 || id.indexOf('/') !== -1) {
        return null;
    }
    return id;
}

function handler(event) {
    var request = event.request;
    var headers = request.headers;
    delete headers[CHARGE_POINT_ID_HEADER];
    delete headers[ORIGIN_VERIFY_HEADER];
    delete headers[AUTHORIZATION_COPY_HEADER];

    var id = chargePointId(request.uri);
    if (id === null) {
        return { statusCode: 404, statusDescription: 'Not Found' };
    }
    headers[CHARGE_POINT_ID_HEADER] = { value: id };
    if (headers.authorization) {
        headers[AUTHORIZATION_COPY_HEADER] = { value: headers.authorization.value };
    }
    request.uri = '/';
    return request;
}
