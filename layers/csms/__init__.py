"""Serverless OCPP Charging Station Management System.

The package is shared by every Lambda function (shipped as a layer), the CDK stack and the
embedded offline runtime. The domain (`csms.domain`) speaks OCPP concepts and imports no AWS
SDK; adapters (`csms.adapters`) implement its ports on DynamoDB and API Gateway.
"""
