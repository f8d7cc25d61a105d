"""The operator API resolver: the same app serves API Gateway HTTP API and the local runtime."""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from csms.api.routes import chargers, health, id_tokens, transactions

app = APIGatewayHttpResolver(enable_validation=True)
for module in (health, chargers, id_tokens, transactions):
    app.include_router(module.router)
