#!/usr/bin/env bash
# Install Debian's ClickHouse (server and client, 18.16 on Debian 12) for the 2-shard cluster tests
# of test/engine/clickhouse.test.ts, which start and stop their own two servers on loopback.
# Never fails the build by itself: when apt cannot install the packages, the tests fail under CI
# (CI=1) with the reason, instead of being skipped.
set -u
if command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ]; then
  echo "clickhouse: already installed"
else
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -E"
  # apt may start the server as a service; the tests do not use it (policy-rc.d usually forbids it in containers).
  if ! timeout 300 $SUDO apt-get update -qq >/dev/null 2>&1 \
     || ! timeout 600 $SUDO apt-get install -y -qq clickhouse-server clickhouse-client >/dev/null 2>&1; then
    echo "warning: could not install clickhouse-server/clickhouse-client with apt; the ClickHouse tests will fail under CI"
    exit 0
  fi
fi
if command -v clickhouse-client >/dev/null 2>&1; then
  echo "clickhouse: $(clickhouse-client --version 2>&1 | head -n 1)"
else
  echo "clickhouse: $(/usr/bin/clickhouse server --version 2>&1 | head -n 1 || echo 'installed, version unknown')"
fi
exit 0
