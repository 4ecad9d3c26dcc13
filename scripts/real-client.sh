#!/usr/bin/env bash
# Drive a target with the vendor's own typed backend client (@journeyapps-labs/client-backend-v4),
# so "a real client can talk to it" is checked by the real client and not by our reading of it.
#
#   JOURNEY_API_URL=https://host/api/v4/<account> JOURNEY_API_USER=<account> JOURNEY_API_PASSWORD=... \
#     scripts/real-client.sh
#
# It installs the client into a temporary folder (removed on exit), then calls the schema
# (datamodel.json), info.json, indexes.json and pages through the whole oplog with the client's own
# paginator, checking the shape of every answer. REAL_CLIENT_MIN_OPLOG=N also requires at least N
# oplog entries spread over more than one page (pages are REAL_CLIENT_PAGE entries, default 2).
#
# Exit status: 0 all checks passed; 1 a check failed (one line on stderr says which); 2 bad usage;
# 3 the client could not be installed (no network or registry). Credentials are never printed.
set -euo pipefail

CLIENT_PACKAGE="@journeyapps-labs/client-backend-v4@1.0.0"
INSTALL_TIMEOUT="${REAL_CLIENT_INSTALL_TIMEOUT:-300}"
RUN_TIMEOUT="${REAL_CLIENT_RUN_TIMEOUT:-120}"

fail() {
  echo "real-client: $*" >&2
  exit "${2:-1}"
}

for var in JOURNEY_API_URL JOURNEY_API_USER JOURNEY_API_PASSWORD; do
  [[ -n "${!var:-}" ]] || { echo "real-client: $var is not set" >&2; exit 2; }
done
command -v node >/dev/null || { echo "real-client: node is not on PATH" >&2; exit 2; }
command -v npm >/dev/null || { echo "real-client: npm is not on PATH" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! timeout "$INSTALL_TIMEOUT" npm install --prefix "$work" --no-audit --no-fund --no-save --silent \
  "$CLIENT_PACKAGE" >"$work/npm.log" 2>&1; then
  echo "real-client: could not install $CLIENT_PACKAGE (see npm's log: $(tail -n 1 "$work/npm.log" | cut -c1-160))" >&2
  exit 3
fi

cat >"$work/check.js" <<'NODE'
// Our checks of what the vendor's client gets back; every mismatch ends the run with one line.
'use strict';
const { V4BackendClient } = require('@journeyapps-labs/client-backend-v4');
const { createNodeNetworkClient } = require('@journeyapps-labs/common-sdk');

const FIELD_TYPES = new Set(['text', 'integer', 'number', 'date', 'datetime', 'single-choice',
  'single-choice-integer', 'boolean', 'multiple-choice', 'multiple-choice-integer', 'photo',
  'signature', 'track', 'attachment', 'location']);
const INDEX_STATUS = new Set(['pending', 'ready']);
const INDEX_TYPES = new Set(['internal', 'adhoc', 'schema']);

class Mismatch extends Error {}
const need = (ok, what) => { if (!ok) throw new Mismatch(what); };
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const optionalString = (v) => v === undefined || v === null || typeof v === 'string';

function split(url) {
  const at = url.indexOf('/api/v4/');
  need(at > 0, 'JOURNEY_API_URL must end in /api/v4/<account>');
  const account = url.slice(at + '/api/v4/'.length).replace(/\/+$/, '');
  need(account.length > 0 && !account.includes('/'), 'JOURNEY_API_URL must end in /api/v4/<account>');
  return { endpoint: url.slice(0, at), account };
}

function checkSchema(schema) {
  need(isObject(schema) && isObject(schema.models), 'datamodel.json: no models object');
  need(typeof schema.datamodel_hash === 'string', 'datamodel.json: datamodel_hash is not a string');
  need('app_user' in schema && optionalString(schema.app_user), 'datamodel.json: app_user missing or not a string/null');
  const names = Object.keys(schema.models);
  need(names.length > 0, 'datamodel.json: no models');
  for (const name of names) {
    const model = schema.models[name];
    need(isObject(model) && model.name === name, `datamodel.json: model ${name} does not name itself`);
    need(isObject(model.fields), `datamodel.json: model ${name} has no fields object`);
    for (const [key, field] of Object.entries(model.fields)) {
      need(isObject(field) && field.name === key, `datamodel.json: field ${name}.${key} does not name itself`);
      need(FIELD_TYPES.has(field.type), `datamodel.json: field ${name}.${key} has type ${JSON.stringify(field.type)}`);
      need(optionalString(field.subtype), `datamodel.json: field ${name}.${key} has a non-string subtype`);
    }
    for (const kind of ['belongs_to', 'has_many']) {
      need(isObject(model[kind]), `datamodel.json: model ${name} has no ${kind} object`);
      for (const [rel, spec] of Object.entries(model[kind])) {
        need(isObject(spec) && typeof spec.model === 'string' && typeof spec.name === 'string',
          `datamodel.json: ${name}.${kind}.${rel} is not {model, name}`);
        need(spec.model in schema.models, `datamodel.json: ${name}.${kind}.${rel} names unknown model ${spec.model}`);
      }
    }
  }
  return names.length;
}

function checkInfo(info) {
  need(isObject(info), 'info.json: not an object');
  for (const key of ['label', 'app_label', 'region', 'environment', 'deployed_by_name', 'deployed_by_email']) {
    need(optionalString(info[key]), `info.json: ${key} is not a string or null`);
  }
  for (const key of ['app_id', 'org_id']) {
    need(info[key] == null || /^[0-9a-f]{24}$/.test(info[key]), `info.json: ${key} is not an object ID`);
  }
  need(info.last_deployed_at == null || !Number.isNaN(Date.parse(info.last_deployed_at)),
    'info.json: last_deployed_at is not a date');
}

function checkIndexes(indexes, models) {
  need(isObject(indexes) && isObject(indexes.models), 'indexes.json: no models object');
  for (const [name, entry] of Object.entries(indexes.models)) {
    need(isObject(entry) && Array.isArray(entry.indexes), `indexes.json: ${name} has no indexes array`);
    for (const index of entry.indexes) {
      need(isObject(index) && isObject(index.key) && typeof index.name === 'string', `indexes.json: ${name} has an index without key and name`);
      need(INDEX_STATUS.has(index.status), `indexes.json: ${name}/${index.name} has status ${JSON.stringify(index.status)}`);
      need(INDEX_TYPES.has(index.type), `indexes.json: ${name}/${index.name} has type ${JSON.stringify(index.type)}`);
    }
  }
  need(Object.keys(indexes.models).every((m) => models.includes(m)), 'indexes.json: names a model the data model lacks');
}

async function checkOplog(client, pageSize, minimum) {
  let entries = 0;
  let pages = 0;
  let last = -1;
  for await (const page of client.getOpLog.paginate({ limit: pageSize })) {
    pages += 1;
    need(pages <= 10000, 'oplog: more than 10000 pages, the paginator does not end');
    need(isObject(page) && Array.isArray(page.entries), `oplog page ${pages}: no entries array`);
    need(typeof page.has_more === 'boolean', `oplog page ${pages}: has_more is not a boolean`);
    need(page.entries.length <= pageSize, `oplog page ${pages}: more entries than limit=${pageSize}`);
    for (const entry of page.entries) {
      const seq = entry.sequence_id ?? entry.sequence;
      need(typeof seq === 'string' && /^\d+$/.test(seq), `oplog page ${pages}: a sequence is not a decimal string`);
      need(Number(seq) > last, `oplog page ${pages}: sequence ${seq} does not follow ${last}`);
      last = Number(seq);
      need(['create', 'update', 'delete'].includes(entry.operation), `oplog page ${pages}: operation ${JSON.stringify(entry.operation)}`);
      need(isObject(entry.object) && typeof entry.object.id === 'string' && typeof entry.object.type === 'string',
        `oplog page ${pages}: an entry has no object with id and type`);
      entries += 1;
    }
    if (page.has_more) {
      need(typeof page.next_request_start === 'string' && page.next_request_start.length > 0,
        `oplog page ${pages}: has_more without next_request_start`);
      need(page.entries.length > 0, `oplog page ${pages}: has_more on an empty page`);
    }
  }
  need(entries >= minimum, `oplog: ${entries} entries, expected at least ${minimum}`);
  need(minimum === 0 || pages > 1, `oplog: ${entries} entries came in one page of limit=${pageSize}`);
  return { entries, pages };
}

async function main() {
  const { endpoint, account } = split(process.env.JOURNEY_API_URL);
  const basic = Buffer.from(`${process.env.JOURNEY_API_USER}:${process.env.JOURNEY_API_PASSWORD}`).toString('base64');
  const network = createNodeNetworkClient({ headers: { Authorization: `Basic ${basic}` }, timeout: 15000 });
  const client = new V4BackendClient({ account_id: account, endpoint, client: network });
  const models = checkSchema(await client.getSchema());
  const schema = await client.getSchema();
  checkInfo(await client.getInfo());
  checkIndexes(await client.getIndexes(), Object.keys(schema.models));
  const pageSize = Number(process.env.REAL_CLIENT_PAGE || 2);
  const oplog = await checkOplog(client, pageSize, Number(process.env.REAL_CLIENT_MIN_OPLOG || 0));
  console.log(`real-client: ok (${models} models, ${oplog.entries} oplog entries in ${oplog.pages} pages)`);
}

main().then(
  () => process.exit(0),
  (error) => {
    // Only our own sentence or the error's first line: never headers, never the request.
    const line = error instanceof Mismatch ? error.message : `client error: ${String(error && error.message || error).split('\n')[0]}`;
    console.error(`real-client: ${line.slice(0, 300)}`);
    process.exit(1);
  },
);
NODE

cd "$work"
timeout "$RUN_TIMEOUT" node check.js || {
  status=$?
  [[ $status -eq 124 ]] && fail "the client did not finish within ${RUN_TIMEOUT}s"
  exit "$status"
}
