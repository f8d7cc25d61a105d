"""The embedded offline runtime (`csms local`): moto, a local API Gateway, the real handlers.

Needs the `local` extra (moto[server], websockets). Entry points:
  * `running_runtime(...)`: async context manager for in-process end-to-end tests;
  * `LocalRuntime` / `RuntimeOptions` / `serve`: what the CLI runs;
  * `Gateway` / `GatewayConfig` / `Handlers`: the gateway alone, with injected handlers.
"""

from csms.local.gateway import Gateway, GatewayConfig, Handlers
from csms.local.runtime import LocalRuntime, RuntimeOptions, running_runtime, serve

__all__ = ["Gateway", "GatewayConfig", "Handlers", "LocalRuntime", "RuntimeOptions", "running_runtime", "serve"]
