# ldirectord-ts for a director host, as a container.
#   docker build -t ldirectord-ts .
#   docker run -d --name ldirectord --network host \
#     --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW \
#     -v /etc/ha.d:/etc/ha.d:ro ldirectord-ts
# The host kernel must have IPVS loaded (modprobe ip_vs): a container cannot load modules. See docs/deployment.md.

# --- build: compile the TypeScript sources -------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# --- runtime -------------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
# tini: PID 1 that forwards TERM to the daemon and reaps the children of external checks.
# iputils-ping: the ICMP tools some checks and operators expect on a director.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini iputils-ping \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/ldirectord
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY bin ./bin
RUN ln -s /opt/ldirectord/bin/ldirectord /usr/sbin/ldirectord \
 && mkdir -p /etc/ha.d /run/ldirectord
# Run in the foreground whatever the config says about supervised= (logs to stdout, `[time] message`), with
# the pid-file directory in the container's /run.
ENV LDIRECTORD_SUPERVISED=yes \
    LDIRECTORD_RUN_DIR=/run/ldirectord \
    NODE_ENV=production
VOLUME ["/etc/ha.d"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/sbin/ldirectord"]
CMD ["ldirectord.cf", "start"]
