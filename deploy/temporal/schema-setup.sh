#!/bin/sh
# Creates and migrates Temporal's two PostgreSQL databases. Idempotent: create-database tolerates an
# existing database, setup-schema -v 0.0 keeps a newer version, update-schema applies only the missing
# versioned steps. Run by docker-compose.yml (temporal-schema-setup) and by `npm run cluster`.
#
# Environment: SQL_HOST, SQL_PORT (5432), SQL_USER, SQL_PASSWORD,
#   SCHEMA_DIR (/etc/temporal/schema: the module's schema/ folder), SQL_TOOL (temporal-sql-tool).
set -eu
schema="${SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"
sql() {
  "${SQL_TOOL:-temporal-sql-tool}" --plugin postgres12 --ep "$SQL_HOST" -p "${SQL_PORT:-5432}" \
    -u "$SQL_USER" -pw "$SQL_PASSWORD" "$@"
}
sql --db temporal create-database
sql --db temporal setup-schema -v 0.0
sql --db temporal update-schema -d "$schema/temporal/versioned"
sql --db temporal_visibility create-database
sql --db temporal_visibility setup-schema -v 0.0
sql --db temporal_visibility update-schema -d "$schema/visibility/versioned"
echo 'schema setup complete'
