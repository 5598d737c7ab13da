#!/usr/bin/env node
// A stand-in for Prisma's native `query-engine` binary, for running a real LiteLLM proxy in tests.
//
// prisma-client-py (the `prisma` PyPI package LiteLLM uses) starts the native engine as
//   query-engine -p PORT --enable-metrics --enable-raw-queries     (PRISMA_DML_PATH = the schema)
// and talks to it over HTTP with Prisma's old GraphQL protocol. The native binary cannot be downloaded here,
// but the same Rust engine is published on npm compiled to WebAssembly (@prisma/query-engine-wasm), which
// speaks Prisma's JSON protocol through a driver adapter (@prisma/adapter-pg over `pg`). This file serves the
// binary's HTTP interface and translates each GraphQL request into the JSON protocol, using the schema's DMMF
// (from @prisma/prisma-schema-wasm) for argument types, and translates the answers back.
//
// Invoked with --version (or -V) it prints the engine hash prisma-client-py 0.11.0 pins, so `prisma generate`
// and the client's version check accept it. Any other invocation that is not `-p PORT` exits 1 (the Prisma
// CLI also probes it as a schema engine, e.g. for `migrate diff`, which LiteLLM treats as "no diff").
//
// KEYWARD_ENGINE_LOG=<file> appends every request and answer (one JSON line each) to that file.

import { appendFileSync, readFileSync, realpathSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ENGINE_HASH = "ac9d7041ed77bcc8a8dbd2ab6616b39013829574";

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
const argv = isMain ? process.argv.slice(2) : [];
if (isMain && (argv.includes("--version") || argv.includes("-V") || argv[0] === "version")) {
  process.stdout.write(`query-engine ${ENGINE_HASH}\n`);
  process.exit(0);
}

function argValue(names) {
  for (let i = 0; i < argv.length; i++) {
    if (names.includes(argv[i])) return argv[i + 1];
    for (const n of names) if (argv[i].startsWith(`${n}=`)) return argv[i].slice(n.length + 1);
  }
  return undefined;
}

const logFile = process.env.KEYWARD_ENGINE_LOG;
function log(entry) {
  if (!logFile) return;
  try {
    appendFileSync(logFile, `${JSON.stringify({ t: new Date().toISOString(), ...entry })}\n`);
  } catch {
    // logging is best effort
  }
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL -> JSON protocol
// ---------------------------------------------------------------------------------------------------------

const ACTIONS = [
  // longest prefixes first
  ["findUnique", "OrThrow", "findUniqueOrThrow"],
  ["findFirst", "OrThrow", "findFirstOrThrow"],
  ["findUnique", "", "findUnique"],
  ["findFirst", "", "findFirst"],
  ["findMany", "", "findMany"],
  ["createOne", "", "createOne"],
  ["createMany", "", "createMany"],
  ["updateOne", "", "updateOne"],
  ["updateMany", "", "updateMany"],
  ["upsertOne", "", "upsertOne"],
  ["deleteOne", "", "deleteOne"],
  ["deleteMany", "", "deleteMany"],
  ["aggregate", "", "aggregate"],
  ["groupBy", "", "groupBy"],
];

/** The DMMF pieces the translation needs, indexed by name. */
export function indexDmmf(dmmf) {
  const input = new Map();
  for (const t of dmmf.schema.inputObjectTypes.prisma ?? []) input.set(t.name, t);
  const output = new Map();
  for (const t of dmmf.schema.outputObjectTypes.prisma ?? []) output.set(t.name, t);
  for (const t of dmmf.schema.outputObjectTypes.model ?? []) output.set(t.name, t);
  const enums = new Map();
  for (const group of Object.values(dmmf.schema.enumTypes ?? {})) for (const e of group ?? []) enums.set(e.name, e);
  const models = new Set(dmmf.datamodel.models.map((m) => m.name));
  return { input, output, enums, models };
}

function splitAction(fieldName, idx) {
  if (fieldName === "queryRaw" || fieldName === "executeRaw") return { action: fieldName, modelName: undefined };
  for (const [prefix, suffix, action] of ACTIONS) {
    if (!fieldName.startsWith(prefix) || !fieldName.endsWith(suffix)) continue;
    const modelName = fieldName.slice(prefix.length, fieldName.length - suffix.length);
    if (idx.models.has(modelName)) return { action, modelName };
  }
  throw new Error(`unknown operation ${fieldName}`);
}

function plain(node) {
  switch (node.kind) {
    case "NullValue":
      return null;
    case "StringValue":
    case "EnumValue":
      return node.value;
    case "BooleanValue":
      return node.value;
    case "IntValue":
    case "FloatValue":
      return Number(node.value);
    case "ListValue":
      return node.values.map(plain);
    case "ObjectValue":
      return Object.fromEntries(node.fields.map((f) => [f.name.value, plain(f.value)]));
    default:
      throw new Error(`unsupported GraphQL value ${node.kind}`);
  }
}

const TAGGED_SCALARS = ["DateTime", "Json", "BigInt", "Decimal", "Bytes"];

/** Convert one GraphQL value to the JSON protocol, given the DMMF input types allowed at this place. */
export function convertValue(node, inputTypes, idx) {
  if (node.kind === "NullValue") return null;
  if (node.kind === "Variable") throw new Error("GraphQL variables are not supported");
  const types = inputTypes ?? [];
  if (node.kind === "ListValue") {
    const listTypes = types.filter((t) => t.isList);
    const elementTypes = (listTypes.length ? listTypes : types).map((t) => ({ ...t, isList: false }));
    return node.values.map((v) => convertValue(v, elementTypes, idx));
  }
  const single = types.filter((t) => !t.isList);
  const candidates = single.length ? single : types;
  if (node.kind === "ObjectValue") {
    const keys = node.fields.map((f) => f.name.value);
    const objectTypes = candidates
      .filter((t) => t.location === "inputObjectTypes")
      .map((t) => idx.input.get(t.type))
      .filter(Boolean);
    const chosen =
      objectTypes.find((t) => keys.every((k) => t.fields.some((f) => f.name === k))) ?? objectTypes[0];
    if (!chosen) {
      if (candidates.some((t) => t.type === "Json")) return { $type: "Json", value: JSON.stringify(plain(node)) };
      return plain(node);
    }
    const out = {};
    for (const f of node.fields) {
      const field = chosen.fields.find((x) => x.name === f.name.value);
      out[f.name.value] = convertValue(f.value, field?.inputTypes, idx);
    }
    return out;
  }
  const scalarNames = candidates.filter((t) => t.location === "scalar").map((t) => t.type);
  if (node.kind === "StringValue" || node.kind === "EnumValue") {
    const isEnumValue = candidates.some(
      (t) => t.location === "enumTypes" && idx.enums.get(t.type)?.values.includes(node.value),
    );
    if (scalarNames.includes("String") || isEnumValue) return node.value;
    const tag = TAGGED_SCALARS.find((s) => scalarNames.includes(s));
    if (tag) return { $type: tag, value: node.value };
    return node.value;
  }
  if (node.kind === "IntValue") {
    if (scalarNames.includes("BigInt") && !scalarNames.includes("Int") && !Number.isSafeInteger(Number(node.value))) {
      return { $type: "BigInt", value: node.value };
    }
    if (scalarNames.includes("Json") && !scalarNames.some((s) => s !== "Json")) {
      return { $type: "Json", value: node.value };
    }
    return Number(node.value);
  }
  if (node.kind === "FloatValue") return Number(node.value);
  if (node.kind === "BooleanValue") {
    if (scalarNames.length && scalarNames.every((s) => s === "Json")) {
      return { $type: "Json", value: String(node.value) };
    }
    return node.value;
  }
  return plain(node);
}

function convertArguments(args, argDefs, idx) {
  const out = {};
  for (const a of args ?? []) {
    const def = argDefs?.find((d) => d.name === a.name.value);
    out[a.name.value] = convertValue(a.value, def?.inputTypes, idx);
  }
  return out;
}

function convertSelection(selectionSet, outputTypeName, idx) {
  const out = {};
  if (!selectionSet) return out;
  const type = idx.output.get(outputTypeName);
  for (const sel of selectionSet.selections) {
    if (sel.kind !== "Field") throw new Error(`unsupported selection ${sel.kind}`);
    const name = sel.name.value;
    const field = type?.fields.find((f) => f.name === name);
    if (!sel.selectionSet && !(sel.arguments ?? []).length) {
      out[name] = true;
      continue;
    }
    const entry = {};
    if ((sel.arguments ?? []).length) entry.arguments = convertArguments(sel.arguments, field?.args, idx);
    entry.selection = convertSelection(sel.selectionSet, field?.outputType?.type, idx);
    out[name] = entry;
  }
  return out;
}

/**
 * Translate one prisma-client-py GraphQL query (`query { result: findUniqueX(...) { ... } }`) into a JSON
 * protocol request. Returns the request and the alias the answer must come back under.
 */
export function translateQuery(gql, idx, parse) {
  const doc = parse(gql);
  const op = doc.definitions[0];
  if (!op || op.kind !== "OperationDefinition" || doc.definitions.length !== 1) {
    throw new Error("expected exactly one GraphQL operation");
  }
  const fields = op.selectionSet.selections;
  if (fields.length !== 1 || fields[0].kind !== "Field") throw new Error("expected exactly one root field");
  const root = fields[0];
  const alias = root.alias?.value ?? root.name.value;
  const fieldName = root.name.value;
  const { action, modelName } = splitAction(fieldName, idx);
  const rootType = idx.output.get(op.operation === "mutation" ? "Mutation" : "Query");
  const def =
    rootType?.fields.find((f) => f.name === fieldName) ??
    idx.output.get(op.operation === "mutation" ? "Query" : "Mutation")?.fields.find((f) => f.name === fieldName);
  if (action === "queryRaw" || action === "executeRaw") {
    const args = {};
    for (const a of root.arguments ?? []) args[a.name.value] = plain(a.value);
    return { alias, action, request: { action, query: { arguments: args, selection: {} } } };
  }
  const request = {
    modelName,
    action,
    query: {
      arguments: convertArguments(root.arguments, def?.args, idx),
      selection: convertSelection(root.selectionSet, def?.outputType?.type, idx),
    },
  };
  return { alias, action, request };
}

/** Strip the JSON protocol's `{"$type": ..., "value": ...}` wrappers from an answer. */
export function untag(value) {
  if (Array.isArray(value)) return value.map(untag);
  if (value === null || typeof value !== "object") return value;
  if (typeof value.$type === "string" && "value" in value && Object.keys(value).length === 2) {
    switch (value.$type) {
      case "BigInt": {
        const n = Number(value.value);
        return Number.isSafeInteger(n) ? n : value.value;
      }
      case "Decimal":
        return Number(value.value);
      default:
        // DateTime: ISO string; Json: the JSON text (prisma-client-py's Json fields parse a string);
        // Bytes: base64 text
        return value.value;
    }
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) out[k] = untag(v);
  return out;
}

/** queryRaw answers: the engine's column-wise form -> prisma-client-py's list of {col: {prisma__type, prisma__value}}. */
export function rawRows(result) {
  if (Array.isArray(result)) return result;
  if (!result || !Array.isArray(result.columns) || !Array.isArray(result.rows)) return result;
  const { columns, types, rows } = result;
  return rows.map((row) => {
    const obj = {};
    columns.forEach((col, i) => {
      const type = types?.[i] ?? "unknown";
      const value = row[i];
      if (type.endsWith("-array") && Array.isArray(value)) {
        const base = type.slice(0, -"-array".length);
        obj[col] = { prisma__type: "array", prisma__value: value.map((v) => ({ prisma__type: base, prisma__value: v })) };
      } else {
        obj[col] = { prisma__type: value === null ? "null" : type, prisma__value: value };
      }
    });
    return obj;
  });
}

function convertAnswer(answer, alias, action) {
  if (answer.errors) return { errors: answer.errors };
  const data = answer.data ?? {};
  let value = Object.values(data)[0];
  value = action === "queryRaw" ? rawRows(untag(value)) : untag(value);
  return { data: { [alias]: value } };
}

// ---------------------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------------------

// Column types @prisma/adapter-pg 5.17 refuses ("Failed to deserialize column of type 'Unknown'") although
// `pg` already hands their values over as text, e.g. `name` from pg_views, which LiteLLM reads at start-up.
// The native engine reads them as text; so does this stand-in. OID -> the text OID of the same shape.
const AS_TEXT = new Map([
  [18, 25], [19, 25], [22, 25], [24, 25], [27, 25], [28, 25], [29, 25], [30, 25], [194, 25], [1033, 25],
  [1186, 25], [2205, 25], [2206, 25], [3220, 25], [1003, 1009], [1187, 1009],
])

function textForUnsupported(result) {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const f of r?.fields ?? []) if (AS_TEXT.has(f.dataTypeID)) f.dataTypeID = AS_TEXT.get(f.dataTypeID)
  }
  return result
}

function patchPg(pg) {
  const original = pg.Client.prototype.query
  if (original.__keyward) return
  const patched = function (...args) {
    const cb = typeof args[args.length - 1] === "function" ? args.pop() : undefined
    if (cb) return original.call(this, ...args, (err, res) => cb(err, err ? res : textForUnsupported(res)))
    const out = original.apply(this, args)
    return out && typeof out.then === "function" ? out.then(textForUnsupported) : out
  }
  patched.__keyward = true
  pg.Client.prototype.query = patched
}

function pgConfig(url) {
  const u = new URL(url);
  const keep = new URLSearchParams();
  let max = 10;
  for (const [k, v] of u.searchParams) {
    if (k === "connection_limit") max = Math.max(1, Number(v) || max);
    if (k === "sslmode") keep.set(k, v);
  }
  u.search = keep.toString();
  return { connectionString: u.toString(), max };
}

async function main() {
  const port = Number(argValue(["-p", "--port"]));
  if (!Number.isInteger(port) || port <= 0) {
    process.stderr.write(`query-engine stand-in: only --version and -p PORT are supported (got: ${argv.join(" ")})\n`);
    process.exit(1);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const require = createRequire(join(here, "package.json"));
  const { parse } = require("graphql");
  const pg = require("pg");
  const { PrismaPg } = require("@prisma/adapter-pg");
  const { bindAdapter } = require("@prisma/driver-adapter-utils");
  const schemaWasm = require("@prisma/prisma-schema-wasm");

  const dmlPath = process.env.PRISMA_DML_PATH;
  const datamodel = dmlPath ? readFileSync(dmlPath, "utf8") : process.env.PRISMA_DML;
  if (!datamodel) throw new Error("PRISMA_DML_PATH is not set");
  let url = process.env.DATABASE_URL;
  if (process.env.OVERWRITE_DATASOURCES) {
    const overrides = JSON.parse(process.env.OVERWRITE_DATASOURCES);
    const first = Array.isArray(overrides) ? overrides[0] : undefined;
    if (first?.url) url = first.url;
  }
  if (!url) throw new Error("DATABASE_URL is not set");

  const idx = indexDmmf(JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: datamodel }))));

  const wasmDir = dirname(require.resolve("@prisma/query-engine-wasm/package.json"));
  const bg = await import(join(wasmDir, "postgresql", "query_engine_bg.js"));
  const bytes = readFileSync(join(wasmDir, "postgresql", "query_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./query_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);

  patchPg(pg);
  const pool = new pg.Pool(pgConfig(url));
  const adapter = bindAdapter(new PrismaPg(pool));
  const engine = new bg.QueryEngine(
    { datamodel, logLevel: "error", logQueries: false },
    (line) => log({ engine: String(line).slice(0, 2000) }),
    adapter,
  );
  await engine.connect("{}");

  async function runOne(body, txId) {
    let t;
    try {
      t = translateQuery(body.query, idx, parse);
    } catch (err) {
      return { errors: [{ error: String(err?.message ?? err), user_facing_error: { is_panic: false, message: String(err?.message ?? err) } }] };
    }
    log({ json: t.request, tx: txId ?? null });
    const answer = JSON.parse(await engine.query(JSON.stringify(t.request), "{}", txId));
    return convertAnswer(answer, t.alias, t.action);
  }

  async function handleQuery(body, txId) {
    if (Array.isArray(body.batch)) {
      const translated = body.batch.map((q) => translateQuery(q.query, idx, parse));
      const request = { batch: translated.map((t) => t.request) };
      if (body.transaction) {
        const iso = typeof body.transaction === "object" ? body.transaction.isolationLevel : undefined;
        request.transaction = iso ? { isolationLevel: iso } : {};
      }
      log({ json: request, tx: txId ?? null });
      const answer = JSON.parse(await engine.query(JSON.stringify(request), "{}", txId));
      if (answer.errors) return { errors: answer.errors };
      const results = (answer.batchResult ?? []).map((r, i) => convertAnswer(r, translated[i].alias, translated[i].action));
      const errors = results.flatMap((r) => r.errors ?? []);
      return errors.length ? { errors } : { batchResult: results };
    }
    return runOne(body, txId);
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "/").split("?")[0];
      let status = 200;
      let answer;
      try {
        if (req.method === "GET" && path === "/status") {
          answer = { status: "ok" };
        } else if (req.method === "GET" && path === "/metrics") {
          answer = { counters: [], gauges: [], histograms: [] };
        } else if (req.method === "POST" && path === "/") {
          const txId = req.headers["x-transaction-id"];
          answer = await handleQuery(JSON.parse(text), typeof txId === "string" ? txId : undefined);
        } else if (req.method === "POST" && path === "/transaction/start") {
          const opts = text ? JSON.parse(text) : {};
          const clean = {};
          for (const [k, v] of Object.entries(opts)) if (v !== null && v !== undefined) clean[k] = v;
          if (clean.isolationLevel !== undefined) {
            clean.isolation_level = clean.isolationLevel;
            delete clean.isolationLevel;
          }
          answer = JSON.parse(await engine.startTransaction(JSON.stringify(clean), "{}"));
        } else if (req.method === "POST" && /^\/transaction\/[^/]+\/(commit|rollback)$/.test(path)) {
          const [, , id, verb] = path.split("/");
          const fn = verb === "commit" ? engine.commitTransaction : engine.rollbackTransaction;
          answer = JSON.parse((await fn.call(engine, decodeURIComponent(id), "{}")) || "{}");
        } else {
          status = 404;
          answer = { errors: [{ error: `no route ${req.method} ${path}` }] };
        }
      } catch (err) {
        status = 500;
        answer = { errors: [{ error: String(err?.stack ?? err), user_facing_error: { is_panic: false, message: String(err?.message ?? err) } }] };
      }
      const out = JSON.stringify(answer);
      log({ method: req.method, path, tx: req.headers["x-transaction-id"] ?? null, body: text.slice(0, 4000), status, answer: out.slice(0, 4000) });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(out);
    });
  });
  // prisma-client-py connects to http://localhost:PORT, which may resolve to either loopback address
  server.listen(port, "127.0.0.1");
  const server6 = createServer(server.listeners("request")[0]);
  server6.on("error", () => {});
  server6.listen(port, "::1");
  const stop = async () => {
    // never outlive the client: exit even if the pool does not drain
    setTimeout(() => process.exit(0), 2000).unref();
    server.close();
    server6.close();
    try {
      await engine.disconnect("{}");
      await pool.end();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (isMain) {
  main().catch((err) => {
    process.stderr.write(`query-engine stand-in: ${err?.stack ?? err}\n`);
    process.exit(1);
  });
}
