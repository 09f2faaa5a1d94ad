# ldirectord-ts for a director host, as a container (docs/deployment.md, docs/decisions/012-container.md).
#   scripts/container/build          builds it with buildah, and says which base it used
#   podman run -d --name ldirectord --network host \
#     --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW \
#     -v /etc/ha.d:/etc/ha.d:ro localhost/ldirectord-ts
# The host kernel must have IPVS loaded (modprobe ip_vs): a container cannot load modules.
#
# BASE is node:20-bookworm-slim, pinned by digest by scripts/container/build where a registry is reachable;
# where none is, the build script makes a stand-in from Debian's packages (scripts/container/base) and passes
# it here. Both paths use this file unchanged. BASE_NAME and BASE_DIGEST record which one it was.
ARG BASE=docker.io/library/node:20-bookworm-slim

# --- build: compile the TypeScript sources -------------------------------------------------------------
FROM ${BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# A network that inspects TLS needs its CA for npm: given as the build secret `ca` (scripts/container/build
# passes NODE_EXTRA_CA_CERTS when the host has one); without it, node's own CA list is used.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/ca; fi \
 && npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

# --- runtime -------------------------------------------------------------------------------------------
FROM ${BASE}
# tini: PID 1 that forwards TERM to the daemon and reaps the children of external checks.
# iputils-ping: the ICMP tools some checks and operators expect on a director.
# The daemon runs as the user ldirectord; node carries the file capabilities CAP_NET_ADMIN (IPVS over generic
# netlink) and CAP_NET_RAW (ICMP), so a container started with only those two (--cap-drop ALL --cap-add
# NET_ADMIN --cap-add NET_RAW) gives them to it and nothing else. (libcap2-bin stays: iputils-ping depends on
# it, and ping carries cap_net_raw the same way.)
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini iputils-ping libcap2-bin \
 && setcap cap_net_admin,cap_net_raw+ep "$(readlink -f "$(command -v node)")" \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ldirectord
WORKDIR /opt/ldirectord
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY scripts/container/healthcheck.js ./bin/healthcheck.js
RUN ln -s /opt/ldirectord/bin/ldirectord /usr/sbin/ldirectord \
 && mkdir -p /etc/ha.d /run/ldirectord \
 && chown ldirectord:ldirectord /run/ldirectord
# Run in the foreground whatever the config says about supervised= (logs to stdout, `[time] message`), with
# the pid-file directory in the container's /run; one malloc arena for all the process's threads
# (src/daemon/process/malloc-env.ts: several MiB less RSS).
ENV LDIRECTORD_SUPERVISED=yes \
    LDIRECTORD_RUN_DIR=/run/ldirectord \
    MALLOC_ARENA_MAX=1 \
    NODE_ENV=production
# Declared here, after the last RUN, so that a new revision or date does not rebuild the layers above.
ARG BASE
ARG BASE_NAME=${BASE}
ARG BASE_DIGEST=unknown
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="ldirectord-ts" \
      org.opencontainers.image.description="Health-checking director for Linux Virtual Server" \
      org.opencontainers.image.licenses="GPL-2.0-or-later" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${BASE_NAME}" \
      org.opencontainers.image.base.digest="${BASE_DIGEST}"
USER ldirectord
VOLUME ["/etc/ha.d"]
# Healthy while the daemon's status server answers (any HTTP status: a 401 is an answer). The URL follows
# statusaddress= (default 127.0.0.1:9186); with statusaddress=none run the container with --no-healthcheck.
ENV LDIRECTORD_HEALTH_URL=http://127.0.0.1:9186/metrics
HEALTHCHECK --interval=30s --timeout=10s --start-period=120s --retries=3 \
  CMD ["/usr/local/bin/node", "/opt/ldirectord/bin/healthcheck.js"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/sbin/ldirectord"]
CMD ["ldirectord.cf", "start"]
