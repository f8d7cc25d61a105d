// CloudFront Function (cloudfront-js-2.0), viewer request, on the console's S3 behaviour.
//
// The console is a single-page application: its routes (/chargers/CP.1, /sessions, ...) are no
// files in the bucket, so they get /index.html, as `csms local` serves them
// (layers/csms/local/console_files.py). Files are what the build writes: the hashed bundles
// under /assets/ and the few files at the root (config.json, favicon.svg, ...), whose names have
// a dot. /api/* never reaches this function: it is its own behaviour.

var INDEX = '/index.html';

function isFile(uri) {
    if (uri.indexOf('/assets/') === 0) {
        return true;
    }
    var name = uri.substring(1);
    return name.indexOf('/') === -1 && name.indexOf('.') !== -1;
}

function handler(event) {
    var request = event.request;
    if (!isFile(request.uri)) {
        request.uri = INDEX;
    }
    return request;
}
