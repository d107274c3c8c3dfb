#!/usr/bin/env bash
# Builds the Temporal server (cmd/server) and its SQL schema tool (cmd/tools/sql) from the Go module
# go.temporal.io/server at a pinned version into .tools/temporal-server-<version>/. Idempotent: a second
# run with both binaries present does nothing. Needs Go from the machine; the module needs a newer Go
# than Debian's, which the go command fetches from the module proxy as GOTOOLCHAIN.
set -euo pipefail
VERSION="${TEMPORAL_SERVER_VERSION:-v1.32.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/.tools/temporal-server-$VERSION"
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
if [[ -x "$OUT/temporal-server" && -x "$OUT/temporal-sql-tool" && -d "$OUT/schema/postgresql/v12" ]]; then
  echo "$OUT"
  exit 0
fi
if ! command -v go >/dev/null; then
  PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { apt-get install -y golang-go >&2; }
fi
mkdir -p "$OUT/src"
cd "$OUT/src"
[[ -f go.mod ]] || go mod init cluster-temporal-build >&2
go get "go.temporal.io/server@$VERSION" >&2
# Blank-import the commands so `go mod tidy` keeps their dependencies.
cat >tools.go <<GO
//go:build tools

package tools

import (
	_ "go.temporal.io/server/cmd/server"
	_ "go.temporal.io/server/cmd/tools/sql"
)
GO
go mod tidy >&2
nice -n 10 go build -p "${GO_BUILD_JOBS:-1}" -trimpath -o "$OUT/temporal-server.tmp" go.temporal.io/server/cmd/server >&2
nice -n 10 go build -p "${GO_BUILD_JOBS:-1}" -trimpath -o "$OUT/temporal-sql-tool.tmp" go.temporal.io/server/cmd/tools/sql >&2
MOD_DIR="$(go list -m -f '{{.Dir}}' go.temporal.io/server)"
rm -rf "$OUT/schema" && mkdir -p "$OUT/schema" && cp -r "$MOD_DIR/schema/postgresql" "$OUT/schema/"
chmod -R u+w "$OUT/schema"
mv "$OUT/temporal-server.tmp" "$OUT/temporal-server"
mv "$OUT/temporal-sql-tool.tmp" "$OUT/temporal-sql-tool"
echo "$OUT"
