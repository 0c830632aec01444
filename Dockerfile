# syntax=docker/dockerfile:1
#
# The standalone relay (`k360-verify relay`) as a container image:
#
#   docker build -t k360-verify-relay .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 \
#     -e KOUNT_API_URL=... -e KOUNT_TOKEN_URL=... -e KOUNT_API_KEY_FILE=/run/secrets/kount-api-key ... \
#     -e RELAY_SESSION_SECRET_FILE=/run/secrets/relay-session-secret \
#     -e RELAY_ADMIN_API_KEYS_FILE=/run/secrets/relay-admin-api-keys \
#     k360-verify-relay
#
# Two stages: the first builds the package and packs it as npm would publish it; the second
# installs that tarball as a shop would, with production dependencies only, and runs it as an
# unprivileged user. test/package/service.test.ts runs the same steps without Docker (tarball,
# production install, unprivileged user, this file's USER, HEALTHCHECK and CMD).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore lets in only what the build reads.
COPY . .
RUN npm run build \
 && npm pack --pack-destination /tmp \
 && mv /tmp/k360-verify-*.tgz /tmp/k360-verify.tgz

FROM ${NODE_IMAGE} AS runtime
# Optional peer dependencies of the package, installed explicitly as a shop does: Hono and its
# node:http adapter (the relay's HTTP layer), and the Redis client (RELAY_STORE_URL=redis://… for
# several instances). Kept at the versions in package-lock.json (test/package/service.test.ts checks).
ARG HONO_VERSION=4.13.19
ARG HONO_NODE_SERVER_VERSION=1.19.19
ARG REDIS_CLIENT_VERSION=5.12.1
WORKDIR /app
COPY --from=build /tmp/k360-verify.tgz /app/k360-verify.tgz
# Installed as root and left owned by root: the user that runs the relay can read /app, not change it.
RUN echo '{"name":"k360-verify-relay","private":true}' > package.json \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund \
      ./k360-verify.tgz "hono@${HONO_VERSION}" "@hono/node-server@${HONO_NODE_SERVER_VERSION}" \
      "@redis/client@${REDIS_CLIENT_VERSION}" \
 && rm k360-verify.tgz \
 && npm cache clean --force

# The relay writes nothing to disk (logs are JSON lines on stdout and stderr; sessions live in
# memory or Redis), so the image runs with a read-only root filesystem (`docker run --read-only`,
# Kubernetes `readOnlyRootFilesystem: true`); /tmp is the only place anything may write.
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    RELAY_HOST=0.0.0.0 \
    RELAY_PORT=8080
# The admin listener (the server-to-server API and /health) binds 127.0.0.1 by default, which inside
# a container nobody else can reach: not the backends, not the platform's probes. Here the
# container's own network is the private boundary: publish or route only 8080 (the browser API) to
# the outside, and let only the shop's backends and the platform reach 8081 (a pod network, a
# Docker network of the backends; never `-p 8081:8081` on a public host). Its API still wants a key
# from RELAY_ADMIN_API_KEYS and refuses requests sent by browsers.
ENV RELAY_ADMIN_HOST=0.0.0.0 \
    RELAY_ADMIN_PORT=8081

# The official image's unprivileged user (uid 1000).
USER node

EXPOSE 8080 8081

# Liveness with node itself (the slim image has no curl or wget). /health/alive, not /health/ready:
# a store that is down makes the instance not ready (take it out of the load balancer), which a
# restart would not mend. 127.0.0.1 reaches the admin listener bound to 0.0.0.0 above.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.RELAY_ADMIN_PORT || 8081) + '/health/alive', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM (docker stop, Kubernetes) stops it gracefully: requests in flight get RELAY_SHUTDOWN_SECONDS,
# then it exits 0. 8 s here, not the relay's 10, to finish inside `docker stop`'s 10 s before SIGKILL
# (Kubernetes gives 30). node is PID 1 and the relay handles SIGTERM and SIGINT itself.
ENV RELAY_SHUTDOWN_SECONDS=8
STOPSIGNAL SIGTERM
CMD ["k360-verify", "relay"]
