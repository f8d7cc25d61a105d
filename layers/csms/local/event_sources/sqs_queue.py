"""A local SQS event source mapping: long-polls a queue and invokes a Lambda handler per message.

As on AWS with batch size 1: one record per event, the message is deleted when the handler
returns, and left for redelivery (after its visibility timeout) when the handler raises.
Handlers run on a small thread pool, so a slow step does not hold up the others.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from csms.local import lambda_events
from csms.local.lambda_functions import LocalFunction

log = logging.getLogger("local-runtime.queue")

# Short long polls: a queue replaced under the poller is found within a second. `stop` ends a poll at once.
_LONG_POLL_SECONDS = 1
_RETRY_SECONDS = 1


class QueuePoller:
    def __init__(self, sqs: Any, queue_url: str, function: LocalFunction, threads: int = 4) -> None:
        self._sqs = sqs
        self._queue_url = queue_url
        self._function = function
        self._queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"csms-local-{function.name}")
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._poll, name=f"csms-local-{function.name}-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and wait for the handlers that are running."""
        self._stopping.set()
        if self._thread.is_alive():
            # A message ends the long poll at once; it is left in the queue, unhandled.
            self._sqs.send_message(QueueUrl=self._queue_url, MessageBody="stop")
            self._thread.join()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _poll(self) -> None:
        while not self._stopping.is_set():
            try:
                response = self._sqs.receive_message(
                    QueueUrl=self._queue_url,
                    MaxNumberOfMessages=10,
                    WaitTimeSeconds=_LONG_POLL_SECONDS,
                    AttributeNames=["All"],
                )
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("receiving from %s failed", self._queue_url)
                self._stopping.wait(_RETRY_SECONDS)
                continue
            if self._stopping.is_set():
                return
            for message in response.get("Messages", []):
                self._executor.submit(self._invoke, message)

    def _invoke(self, message: dict[str, Any]) -> None:
        event = lambda_events.sqs_event(self._queue_arn, message)
        try:
            self._function.invoke(event)
        except Exception:
            log.exception("%s failed; the message will be redelivered", self._function.name)
            return
        self._sqs.delete_message(QueueUrl=self._queue_url, ReceiptHandle=message["ReceiptHandle"])
