# The portal's production image: the backend, which also serves the built
# frontend, started with app-config.yaml + app-config.production.yaml.
# Build from the repository root: docker build -t workflow-portal .
# How to run it, and a two-replica example: docs/production.md, deploy/.

# --- build: the whole repository, installed and built ------------------------
FROM node:22-bookworm-slim AS build

# node-gyp builds the development install's native modules (better-sqlite3
# for the embedded default and the tests) from source.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 g++ make \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# .dockerignore keeps installs, builds and local data of the host out.
COPY . .
# The image's `yarn` (Yarn 1) hands over to the release vendored in
# .yarn/releases (yarnPath in .yarnrc.yml).
RUN yarn install --immutable
# The backend build packs the backend, its workspace plugins and the built
# frontend into packages/backend/dist/{skeleton,bundle}.tar.gz; it needs the
# type declarations of `yarn tsc` first.
RUN yarn tsc && yarn workspace backend build
RUN mkdir /bundle && tar xzf packages/backend/dist/bundle.tar.gz -C /bundle

# --- deps: production dependencies only ---------------------------------------
FROM node:22-bookworm-slim AS deps

# In case a production dependency has a native part to compile; nothing of
# this stage but the installed tree reaches the final image.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 g++ make \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY --from=build /src/package.json /src/yarn.lock /src/.yarnrc.yml ./
COPY --from=build /src/.yarn/releases ./.yarn/releases
# The skeleton holds the package.json of every workspace the backend needs:
# with the lockfile, enough to install without the sources, so this layer is
# rebuilt only when dependencies change.
COPY --from=build /src/packages/backend/dist/skeleton.tar.gz ./
RUN tar xzf skeleton.tar.gz && rm skeleton.tar.gz
# Yarn itself is not needed at run time: drop its release and install state.
RUN yarn workspaces focus --all --production \
  && yarn cache clean --all \
  && rm -rf .yarn

# --- the image: node, the installed tree and the bundle, no build tools ------
FROM node:22-bookworm-slim

# Switches the backend (JSON logs) and many dependencies to production mode;
# the guest sign-in module refuses to work with it.
ENV NODE_ENV=production

WORKDIR /app
# The backend runs as the image's unprivileged `node` user; /app is its own so
# that nothing depends on how the builder creates WORKDIR.
RUN chown node:node /app
USER node

# node_modules first (it changes only with the lockfile), then the code.
# The deps tree keeps its workspace folders: packages/backend/node_modules
# links `app` to packages/app, whose dist the app backend plugin serves.
COPY --from=deps --chown=node:node /app ./
COPY --from=build --chown=node:node /bundle ./
COPY --from=build --chown=node:node /src/app-config.yaml /src/app-config.production.yaml ./

# app-config.production.yaml listens on 7007.
EXPOSE 7007

# Ready once every plugin has started; 503 again as soon as a shutdown begins.
# No curl in the slim image: node's fetch does the request.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7007/.backstage/health/v1/readiness', { signal: AbortSignal.timeout(4000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node runs as PID 1. That is fine for signals: the kernel applies no default
# action to PID 1, but the Backstage backend installs its own SIGTERM/SIGINT
# handler, which stops the plugins (readiness 503, runner deliveries drained
# for workflows.runnerDrainSeconds) and exits. PID 1 also inherits orphaned
# child processes and node does not reap them: run the container with
# `docker run --init` (compose: `init: true`) so that tini sits in front.
CMD ["node", "packages/backend", "--config", "app-config.yaml", "--config", "app-config.production.yaml"]
