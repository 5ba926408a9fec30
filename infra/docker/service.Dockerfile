# syntax=docker/dockerfile:1
# One image per service, built from the repository root:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=registry -t credit-platform/registry:0.1.0 .
# The example sector system lives under infra/, so it names its folder too:
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=sector-example \
#     --build-arg SERVICE_DIR=infra/sector-example -t credit-platform/sector-example:0.1.0 .
ARG NODE_IMAGE=node:22-bookworm-slim

# Only the workspace manifests and the lockfile: the install layers below stay cached until a dependency changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find packages services infra -name node_modules -prune -o -name package.json -print \
      | xargs cp --parents -t /manifests

FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY --from=manifests /manifests ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
ARG SERVICE=registry
# The trailing "..." builds the service and every workspace package it depends on (contracts, platform).
RUN npx turbo run build --filter=@credit/${SERVICE}...
# Collect what the runtime needs from the build: every built dist/ and the protobuf descriptor set (gRPC reflection).
RUN mkdir /out \
 && find packages services infra -name node_modules -prune \
      -o -type d -name dist -prune -print \
      -o -name descriptors.binpb -print \
      | xargs cp -r --parents -t /out

# Production dependencies of this one service and the workspace packages it links to; no install scripts run,
# since nothing the service needs at run time builds native code.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY --from=manifests /manifests ./
ARG SERVICE=registry
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --workspace @credit/${SERVICE}

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=registry
# The folder of the workspace package: services/<name> for the platform's services.
ARG SERVICE_DIR=services/${SERVICE}
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
# A fixed numeric id, so Kubernetes can check runAsNonRoot without reading /etc/passwd.
RUN groupadd --system --gid 10001 credit \
 && useradd --system --uid 10001 --gid credit --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin credit
WORKDIR /app
# Files stay owned by root: the service only reads them, so a compromised process cannot rewrite its own code.
COPY --from=deps /app ./
COPY --from=build /out ./
USER 10001:10001
# Exec-form CMD does not expand variables, so the service folder becomes the working directory instead:
# the command below runs ${SERVICE_DIR}/dist/main.js. Nothing in the services resolves paths from the cwd.
WORKDIR /app/${SERVICE_DIR}
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
