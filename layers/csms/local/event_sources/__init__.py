"""What invokes the functions that no API serves: an SQS queue, DynamoDB streams, schedules."""
