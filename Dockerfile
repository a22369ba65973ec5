# syntax=docker/dockerfile:1
# Gatehouse for self-hosting: `docker compose up` (compose.yaml) runs it on PostgreSQL 16; alone,
# `docker run -p 3000:3000 -v gatehouse-data:/data gatehouse` runs it on the embedded PGlite in
# /data. No secret is baked in: AUTH_SECRET, ENCRYPTION_KEY and DATABASE_URL come at run time.
# The browser tests run this image's build and entry point (`npm run build`, then
# `node .next/standalone/server.js`; here /app is that folder).
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
# next build, then scripts/standalone.mjs completes .next/standalone with .next/static and public/.
RUN npm run build

# The command line (`gatehouse db migrate`, `admin create`, …): it runs TypeScript through tsx,
# so it keeps the full install. compose.yaml's one-shot migrate service uses it.
FROM build AS cli
USER node
ENTRYPOINT ["node", "bin/gatehouse.mjs"]

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
# HOSTNAME: the container's own hostname otherwise, and Next listens on it alone.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOSTNAME=0.0.0.0 \
    PORT=3000 \
    GATEHOUSE_DATA_DIR=/data
# Reported by /api/health: docker build --build-arg GATEHOUSE_COMMIT=$(git rev-parse HEAD) .
ARG GATEHOUSE_COMMIT=""
ENV GATEHOUSE_COMMIT=${GATEHOUSE_COMMIT}
COPY --from=build --chown=node:node /app/.next/standalone ./
RUN mkdir /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only: a database outage is not cured by restarting the container (/api/health/ready is for load balancers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health/live`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: the server drains requests in flight for up to GATEHOUSE_SHUTDOWN_MS (10 s), then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
