// Runs once when a Next.js server starts, before it serves a request.
export async function register() {
  // NEXT_RUNTIME is fixed by the bundler per runtime, not configuration: Node APIs load only on Node.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  (await import("./lib/startup")).startServer(); // missing production secrets stop the start; SIGTERM drains
  const { configuredProxyTrust } = await import("./lib/net/client-address");
  const { stampPeerAddresses } = await import("./lib/net/peer-address");
  configuredProxyTrust(); // a TRUSTED_PROXIES typo stops the start instead of failing every sign-in
  stampPeerAddresses();
  await (await import("./lib/telemetry")).startTelemetry(); // only with an OTLP endpoint: otherwise no SDK loads
}
