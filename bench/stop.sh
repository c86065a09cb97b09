#!/usr/bin/env bash
# Stops the kit's PostgreSQL cluster (127.0.0.1:54329) that setup.sh started. The scripts stop
# their own wijkwerk and Martin processes by PID when they end.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if pg_lsclusters -h | awk '{print $1" "$2" "$4}' | grep -qx "$PG_VERSION $PG_CLUSTER online"; then
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
  log "stopped PostgreSQL cluster $PG_VERSION/$PG_CLUSTER"
fi
