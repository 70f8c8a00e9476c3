// Preloaded into Artillery (NODE_OPTIONS=--require): Artillery 2.0.x posts an anonymous event to
// its telemetry service even with ARTILLERY_DISABLE_TELEMETRY set. A load test must send traffic
// to its target only (and, offline, the DNS failure costs ~10 s at exit), so the client is a no-op.
'use strict';
const Module = require('node:module');
const load = Module._load;
class NoTelemetry {
  capture() {}
  shutdown() {}
  async shutdownAsync() {}
}
Module._load = function loadWithoutTelemetry(request, ...rest) {
  if (request === 'posthog-node') return { PostHog: NoTelemetry };
  return load.call(this, request, ...rest);
};
