// lib/db/queries import "server-only", which throws outside a React Server Components
// bundle. The CLI is server code too, so it resolves that marker to an empty module.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return nextResolve(specifier, context);
}
