"""The embedded offline runtime (`csms local`): moto, the stack's endpoints, every function of the catalogue.

Needs the `local` extra (moto[server], websockets). One module per thing it stands in for:
  * `front_door`: the one TCP port (HTTP/1.1, WebSocket upgrades spliced through);
  * `cloudfront`: the distribution's rewrite of OCPP upgrade requests;
  * `websocket_api`, `management_api`: the WebSocket API (authorizer, `$connect`, `$default`,
    `$disconnect`) and its `@connections` API;
  * `http_api`: the operator HTTP API, with a bearer token for the JWT authorizer;
  * `endpoints`: all of these on one port;
  * `event_sources`: the SQS queue, the DynamoDB streams and the schedules that invoke functions;
  * `aws_backend`: moto, with the stack's tables, queue, state machine and bus;
  * `lambda_functions`, `lambda_events`: functions loaded from `csms.function_catalogue`, and their events;
  * `console_logs`: the runtime's and the handlers' log lines in one format (text or JSON);
  * `runtime`: all of it in one process (`LocalRuntime`, `running_runtime` for tests, `serve` for the CLI).
"""
