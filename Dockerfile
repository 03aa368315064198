# cabinetbot in a container: a static binary on a minimal image, run as a non-root user.
#   docker build -t cabinetbot --build-arg VERSION=$(git describe --always) .
#   docker compose -f deploy/compose.yaml up -d
# The build flags are the ones .ci/run uses to build and check the binary.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.releaseVersion=${VERSION}" \
      -o /out/cabinetbot . \
 && mkdir -p /out/var/lib/cabinetbot

FROM debian:bookworm-slim
# CA certificates to reach Slack and Telegram over HTTPS; tzdata is embedded in the binary
# (time/tzdata), installed here too for the tools of an operator who opens a shell.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/cabinetbot --shell /usr/sbin/nologin cabinetbot
COPY --from=build /out/cabinetbot /usr/local/bin/cabinetbot
COPY --from=build --chown=10001:10001 /out/var/lib/cabinetbot /var/lib/cabinetbot
USER cabinetbot
WORKDIR /var/lib/cabinetbot
ENV CABINET_DATA_DIR=/var/lib/cabinetbot/data \
    CABINET_BACKUP_DIR=/var/lib/cabinetbot/backups \
    CABINET_HTTP_ADDR=:9090 \
    CABINET_LOG_FORMAT=json \
    TZ=Europe/Bucharest
VOLUME ["/var/lib/cabinetbot"]
# 9090: /healthz, /readyz, /metrics; 3000: Slack HTTP Events API; 8443: Telegram webhook.
EXPOSE 9090 3000 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=2m --retries=3 \
  CMD curl -fsS http://127.0.0.1:9090/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/cabinetbot"]
CMD ["run"]
