#!/usr/bin/env node
// A real LiteLLM proxy for tests, started from nothing:
//
//   npm run -s litellm -- up [--version X.Y.Z] [--state FILE] [--engine-log] [--general-setting K=V]... [--ui-setting K=V]...
//   npm run -s litellm -- down [--state FILE]
//   KEYWARD_LITELLM_READY_S=900  wait that long for /health/readiness (default 480 s)
//
// `up` makes (or reuses) a cached venv with litellm[proxy]==X.Y.Z and prisma==0.11.0, installs PostgreSQL
// from Debian if it is missing, starts a private cluster on 127.0.0.1 (free port, temp data dir), applies the
// migrations litellm-proxy-extras ships, generates the Prisma client against the stand-in query engine
// (engine/query-engine.mjs), starts `litellm --config <generated>` on a free port with a random master key and
// waits for /health/readiness. stdout gets exactly three lines (LITELLM_PROXY_URL=, LITELLM_MASTER_KEY=,
// DATABASE_URL=); progress goes to stderr. --general-setting adds K: V to the config's general_settings, and
// --ui-setting stores K: V in LiteLLM_UISettings before the proxy starts (where 1.94.3 keeps settings such as
// disable_custom_api_keys); V is JSON when it parses as JSON (true, 5, "x"), else a string. What it started (pids, dirs) goes to the state file; `down` stops
// those processes by pid and removes the temp dir.
//
// Exit codes: 0 ok, 1 a step failed (its own error text on stderr), 2 usage (bad or refused version).

import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENGINE = path.join(HERE, "engine", "query-engine.mjs");
// The newest release installable here, from versions.json (which also names the old one test:litellm runs)
export const DEFAULT_VERSION = (() => {
  try {
    return JSON.parse(readFileSync(path.join(HERE, "versions.json"), "utf8")).newest ?? "1.108.0";
  } catch {
    return "1.108.0";
  }
})();
export const REFUSED = new Set(["1.82.7", "1.82.8", "1.107.0"]);
const PRISMA_PY = "0.11.0";
const ENGINE_HASH = "ac9d7041ed77bcc8a8dbd2ab6616b39013829574";

const cacheRoot = () => process.env.KEYWARD_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "keyward");
const defaultState = () => path.join(cacheRoot(), "litellm", "harness-state.json");

const T0 = Date.now();
const say = (msg) => process.stderr.write(`litellm harness [${((Date.now() - T0) / 1000).toFixed(1)}s]: ${msg}\n`);
class StepError extends Error {}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...opts });
  if (r.error) throw new StepError(`${opts.step ?? cmd}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const tail = `${r.stderr ?? ""}\n${r.stdout ?? ""}`.trim().split("\n").slice(-25).join("\n");
    throw new StepError(`${opts.step ?? `${cmd} ${args.join(" ")}`} failed (exit ${r.status}):\n${tail}`);
  }
  return r;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function parseArgs(argv) {
  const out = { cmd: argv[0], version: undefined, state: undefined, engineLog: false, generalSettings: {}, uiSettings: {} };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const [k, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (k === "--version") out.version = value();
    else if (k === "--state") out.state = value();
    else if (k === "--engine-log") out.engineLog = true;
    else if (k === "--general-setting") Object.assign(out.generalSettings, setting(k, value()));
    else if (k === "--ui-setting") Object.assign(out.uiSettings, setting(k, value()));
    else throw new UsageError(`unknown argument ${a}`);
  }
  return out;
}
class UsageError extends Error {}

/** `K=V` from --general-setting / --ui-setting: V as JSON when it parses, else the string. */
function setting(flag, text) {
  const i = (text ?? "").indexOf("=");
  const key = i > 0 ? text.slice(0, i) : "";
  if (!/^[a-z][a-z0-9_]*$/.test(key)) throw new UsageError(`${flag} wants K=V with K a settings name, e.g. disable_custom_api_keys=true (got '${text}')`);
  const raw = text.slice(i + 1);
  try {
    return { [key]: JSON.parse(raw) };
  } catch {
    return { [key]: raw };
  }
}

export function checkVersion(version) {
  if (!/^\d+\.\d+\.\d+(\.post\d+)?$/.test(version ?? "")) throw new UsageError(`give an exact LiteLLM version, e.g. ${DEFAULT_VERSION} (got '${version}')`);
  if (REFUSED.has(version)) throw new UsageError(`refusing LiteLLM ${version}: a compromised release (it steals credentials on any Python start)`);
  return version;
}

// ------------------------------------------------------------------------------------------------ pieces

function ensureVenv(version) {
  say(`venv for litellm[proxy]==${version}`);
  const r = run("bash", [path.join(HERE, "venv.sh"), version], { stdio: ["ignore", "pipe", "inherit"], step: "venv.sh" });
  const venv = r.stdout.trim().split("\n").pop();
  const py = path.join(venv, "bin", "python");
  const have = run(py, ["-c", "import importlib.metadata as m; print(m.version('prisma'))"], { allowFail: true });
  if (have.status !== 0 || have.stdout.trim() !== PRISMA_PY) {
    say(`installing prisma==${PRISMA_PY} into the venv (LiteLLM's extra_proxy dependency)`);
    run(py, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `prisma==${PRISMA_PY}`], { stdio: ["ignore", "inherit", "inherit"], step: "pip install prisma" });
  }
  return venv;
}

/** Where the venv keeps litellm's schema, litellm-proxy-extras' migrations and the prisma package (no Python start). */
function pythonPaths(venv) {
  const lib = path.join(venv, "lib");
  const py = readdirSync(lib).find((d) => d.startsWith("python") && existsSync(path.join(lib, d, "site-packages", "litellm")));
  if (!py) throw new StepError(`no litellm package under ${lib}`);
  const site = path.join(lib, py, "site-packages");
  const extras = path.join(site, "litellm_proxy_extras");
  return {
    schema: path.join(site, "litellm", "proxy", "schema.prisma"),
    extras: existsSync(extras) ? extras : null,
    prisma: path.join(site, "prisma"),
  };
}

/**
 * LiteLLM runs `prisma migrate diff` at start-up (even with DISABLE_SCHEMA_UPDATE) to warn about drift; that
 * needs Prisma's native schema engine, which is not available here, and under load it only burns its timeout.
 * A `prisma` first on LiteLLM's PATH answers that one command with "no diff" (the tables come from the very
 * migrations this LiteLLM ships) and hands everything else to the real CLI.
 */
function prismaShim(dir, venv) {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const shim = path.join(bin, "prisma");
  writeFileSync(shim, `#!/bin/sh\nif [ "$1" = migrate ] && [ "$2" = diff ]; then exit 0; fi\nexec ${JSON.stringify(path.join(venv, "bin", "prisma"))} "$@"\n`, { mode: 0o755 });
  return bin;
}

function engineEnv(venv) {
  return {
    ...process.env,
    PATH: `${path.join(venv, "bin")}:${process.env.PATH ?? ""}`,
    PRISMA_QUERY_ENGINE_BINARY: ENGINE,
    PRISMA_SCHEMA_ENGINE_BINARY: ENGINE,
    PRISMA_HIDE_UPDATE_MESSAGE: "true",
    PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1",
  };
}

function ensurePrismaClient(venv, paths) {
  const schema = readFileSync(paths.schema, "utf8");
  const stamp = `${ENGINE_HASH}\n${schema.length}:${schema}`;
  const marker = path.join(venv, ".keyward-prisma-generated");
  if (existsSync(marker) && readFileSync(marker, "utf8") === stamp && existsSync(path.join(paths.prisma, "client.py"))) return;
  say("generating the Prisma client (prisma generate, against the stand-in engine)");
  run(path.join(venv, "bin", "prisma"), ["generate", "--schema", paths.schema], { env: engineEnv(venv), cwd: os.tmpdir(), step: "prisma generate" });
  writeFileSync(marker, stamp);
}

function postgresBin() {
  const find = () => {
    const base = "/usr/lib/postgresql";
    if (!existsSync(base)) return undefined;
    const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
    return versions.length ? path.join(base, versions[0], "bin") : undefined;
  };
  let bin = find();
  if (bin) return bin;
  if (process.getuid?.() !== 0) throw new StepError("PostgreSQL is not installed and this is not root: run `sudo apt-get install -y postgresql` once");
  say("installing PostgreSQL from Debian (apt-get install -y postgresql)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const first = run("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { env, allowFail: true, stdio: ["ignore", "ignore", "pipe"] });
  if (first.status !== 0) {
    run("apt-get", ["update"], { env, stdio: ["ignore", "ignore", "inherit"], step: "apt-get update" });
    run("apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], { env, stdio: ["ignore", "ignore", "inherit"], step: "apt-get install postgresql" });
  }
  bin = find();
  if (!bin) throw new StepError("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb exists");
  return bin;
}

/** initdb refuses root: run the cluster as `postgres` (Debian's package makes it) or `nobody`. */
function clusterUser() {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    const r = spawnSync("id", ["-u", name], { encoding: "utf8" });
    if (r.status === 0) return { name, uid: Number(r.stdout.trim()), gid: Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim()) };
  }
  throw new StepError("running as root and neither a `postgres` nor a `nobody` user exists for initdb");
}

function asUser(user, cmd, args, opts = {}) {
  return user ? run("runuser", ["-u", user.name, "--", cmd, ...args], opts) : run(cmd, args, opts);
}

function migrationsSql(paths) {
  const dir = paths.extras && path.join(paths.extras, "migrations");
  if (!dir || !existsSync(dir)) throw new StepError(`this LiteLLM has no litellm_proxy_extras migrations to apply (looked in ${dir})`);
  const names = readdirSync(dir).filter((d) => existsSync(path.join(dir, d, "migration.sql"))).sort();
  return { count: names.length, sql: names.map((d) => `-- ${d}\n${readFileSync(path.join(dir, d, "migration.sql"), "utf8")}\n`).join("\n") };
}

function configYaml({ masterKey, databaseUrl, generalSettings = {} }) {
  // JSON is YAML: each extra setting is one line under general_settings.
  const extra = Object.entries(generalSettings).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join("");
  // Models answer from `mock_response`; their prices come from the bundled cost map
  // (LITELLM_LOCAL_MODEL_COST_MAP=True), so virtual keys get real spend logs and real budget checks.
  // mock-priced has its own (large) prices, so a few hundred requests add up to dollars, not fractions of a cent.
  return `model_list:
  - model_name: gpt-4o-mini
    litellm_params:
      model: openai/gpt-4o-mini
      api_key: sk-mock-provider-key-not-used
      mock_response: "Hello from a mock gpt-4o-mini."
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: sk-mock-provider-key-not-used
      mock_response: "Hello from a mock gpt-4o."
  - model_name: mock-priced
    litellm_params:
      model: openai/mock-priced
      api_key: sk-mock-provider-key-not-used
      mock_response: "Hello from a priced mock."
      input_cost_per_token: 0.001
      output_cost_per_token: 0.002
  # Every request fails, as a provider's rate limit does (LiteLLM raises litellm.RateLimitError for this
  # mock_response): failed requests get spend-log rows with metadata.error_information.
  - model_name: mock-fail
    litellm_params:
      model: openai/mock-fail
      api_key: sk-mock-provider-key-not-used
      mock_response: "litellm.RateLimitError"
general_settings:
  master_key: ${masterKey}
  database_url: ${databaseUrl}
  proxy_batch_write_at: 1
  disable_prisma_schema_update: true
  # spend logs keep each request's messages and response (keyward's \`spend logs show\` displays them)
  store_prompts_in_spend_logs: true
${extra}litellm_settings:
  drop_params: true
  telemetry: false
`;
}

async function waitReady(url, child, logFile, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const res = await fetch(`${url}/health/readiness`, { signal: AbortSignal.timeout(3000) });
      last = await res.text();
      if (res.ok) {
        const body = JSON.parse(last);
        if (body.status === "healthy" && (body.db === undefined || body.db === "connected")) return body;
      }
    } catch (err) {
      last = String(err?.cause?.code ?? err?.message ?? err);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n") : "";
  throw new StepError(`litellm did not become ready (last answer: ${last.slice(0, 300)}); its log ends:\n${tail}`);
}

function alive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function writeState(file, state) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

// ------------------------------------------------------------------------------------------------ up/down

async function up(opts) {
  const version = checkVersion(opts.version ?? DEFAULT_VERSION);
  const stateFile = path.resolve(opts.state ?? defaultState());
  if (existsSync(stateFile)) {
    const old = JSON.parse(readFileSync(stateFile, "utf8"));
    if (alive(old.litellm?.pid) || alive(old.postgres?.pid)) throw new UsageError(`a proxy from ${stateFile} is still running: run \`npm run -s litellm -- down\` first (or pass --state)`);
    await down({ state: stateFile, quiet: true });
  }
  const t0 = Date.now();
  const state = { version, startedAt: new Date().toISOString(), stateFile };
  try {
    const venv = ensureVenv(version);
    state.venv = venv;
    const paths = pythonPaths(venv);
    ensurePrismaClient(venv, paths);
    const { count, sql } = migrationsSql(paths);

    const pgBin = postgresBin();
    const user = clusterUser();
    const dir = mkdtempSync(path.join(os.tmpdir(), "keyward-litellm-"));
    state.dir = dir;
    writeState(stateFile, state);
    chmodSync(dir, 0o700);
    if (user) chownSync(dir, user.uid, user.gid);
    const pgDir = path.join(dir, "pg");
    const pgPort = await freePort();
    say(`PostgreSQL (${pgBin}) on 127.0.0.1:${pgPort}${user ? ` as ${user.name}` : ""}`);
    asUser(user, path.join(pgBin, "initdb"), ["-D", pgDir, "-U", "keyward", "--auth=trust", "-E", "UTF8", "--no-locale"], { step: "initdb" });
    asUser(user, path.join(pgBin, "pg_ctl"), ["-D", pgDir, "-l", path.join(dir, "postgres.log"), "-w", "-t", "60", "-o", `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, "start"], { step: "pg_ctl start", stdio: ["ignore", "ignore", "pipe"] });
    const pgPid = Number(readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    state.postgres = { pid: pgPid, port: pgPort, dataDir: pgDir, bin: pgBin, user: user?.name ?? null };
    writeState(stateFile, state);
    const psql = path.join(pgBin, "psql");
    run(psql, ["-h", "127.0.0.1", "-p", String(pgPort), "-U", "keyward", "-d", "postgres", "-qAtc", "CREATE DATABASE litellm"], { step: "create database" });
    const databaseUrl = `postgresql://keyward@127.0.0.1:${pgPort}/litellm`;
    say(`applying ${count} migrations from litellm-proxy-extras`);
    run(psql, ["-q", "-h", "127.0.0.1", "-p", String(pgPort), "-U", "keyward", "-d", "litellm", "-v", "ON_ERROR_STOP=1", "-f", "-"], { input: sql, step: "apply migrations", stdio: ["pipe", "ignore", "pipe"] });

    if (Object.keys(opts.uiSettings ?? {}).length > 0) {
      say(`storing UI settings ${JSON.stringify(opts.uiSettings)} in LiteLLM_UISettings`);
      const value = JSON.stringify(opts.uiSettings).replace(/'/g, "''");
      run(psql, ["-q", "-h", "127.0.0.1", "-p", String(pgPort), "-U", "keyward", "-d", "litellm", "-v", "ON_ERROR_STOP=1", "-c", `INSERT INTO "LiteLLM_UISettings" (id, ui_settings, updated_at) VALUES ('ui_settings', '${value}'::jsonb, now())`], { step: "store UI settings" });
    }
    const masterKey = `sk-${randomBytes(18).toString("base64url")}`;
    const configFile = path.join(dir, "config.yaml");
    writeFileSync(configFile, configYaml({ masterKey, databaseUrl, generalSettings: opts.generalSettings }), { mode: 0o600 });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const logFile = path.join(dir, "litellm.log");
    const engineLog = path.join(dir, "engine.log");
    const out = openSync(logFile, "a");
    say(`starting litellm ${version} on ${url}`);
    const shimBin = prismaShim(dir, venv);
    const child = spawn(path.join(venv, "bin", "litellm"), ["--config", configFile, "--host", "127.0.0.1", "--port", String(port), "--num_workers", "1"], {
      cwd: dir,
      detached: true,
      stdio: ["ignore", out, out],
      env: {
        ...engineEnv(venv),
        PATH: `${shimBin}:${path.join(venv, "bin")}:${process.env.PATH ?? ""}`,
        DATABASE_URL: databaseUrl,
        DISABLE_SCHEMA_UPDATE: "true",
        LITELLM_LOCAL_MODEL_COST_MAP: "True",
        LITELLM_TELEMETRY: "False",
        LITELLM_DONT_SHOW_FEEDBACK_BOX: "True",
        ...(opts.engineLog ? { KEYWARD_ENGINE_LOG: engineLog } : {}),
      },
    });
    closeSync(out);
    child.unref();
    state.litellm = { pid: child.pid, port, url, logFile, configFile, engineLog: opts.engineLog ? engineLog : null };
    writeState(stateFile, state);
    // KEYWARD_LITELLM_READY_S: a longer wait on a heavily loaded machine (1.94.3 took > 240 s at load 19 on 2 cores, 234 s at load 11)
    const ready = await waitReady(url, child, logFile, Number(process.env.KEYWARD_LITELLM_READY_S || 480) * 1000);
    state.readiness = ready;
    state.env = { LITELLM_PROXY_URL: url, LITELLM_MASTER_KEY: masterKey, DATABASE_URL: databaseUrl };
    writeState(stateFile, state);
    say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (state: ${stateFile})`);
    process.stdout.write(`LITELLM_PROXY_URL=${url}\nLITELLM_MASTER_KEY=${masterKey}\nDATABASE_URL=${databaseUrl}\n`);
  } catch (err) {
    say("start-up failed; stopping what was started");
    await down({ state: stateFile, quiet: true });
    throw err;
  }
}

async function stopPid(pid, { group = false, waitMs = 15_000 } = {}) {
  if (!alive(pid)) return;
  const target = group ? -pid : pid;
  try {
    process.kill(target, "SIGTERM");
  } catch {
    process.kill(pid, "SIGTERM");
  }
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  if (group) {
    // the leader is gone; anything left in its group (the query engine it spawned) goes too
    const deadline2 = Date.now() + 3000;
    while (Date.now() < deadline2 && groupAlive(pid)) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function down(opts) {
  const stateFile = path.resolve(opts.state ?? defaultState());
  if (!existsSync(stateFile)) {
    if (!opts.quiet) say(`nothing to stop (${stateFile} does not exist)`);
    return;
  }
  const state = JSON.parse(readFileSync(stateFile, "utf8"));
  if (state.litellm?.pid) {
    if (!opts.quiet) say(`stopping litellm (pid ${state.litellm.pid} and its process group)`);
    // detached at start: the pid leads its own process group, which holds the query engine it spawned
    await stopPid(state.litellm.pid, { group: true });
  }
  if (state.postgres?.pid && alive(state.postgres.pid)) {
    if (!opts.quiet) say(`stopping PostgreSQL (pid ${state.postgres.pid})`);
    process.kill(state.postgres.pid, "SIGINT"); // "fast" shutdown
    await stopPid(state.postgres.pid, { waitMs: 20_000 });
  }
  if (state.dir && path.basename(state.dir).startsWith("keyward-litellm-") && existsSync(state.dir) && statSync(state.dir).isDirectory()) {
    rmSync(state.dir, { recursive: true, force: true });
  }
  rmSync(stateFile, { force: true });
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.cmd === "up") await up(opts);
    else if (opts.cmd === "down") await down(opts);
    else throw new UsageError(`usage: npm run -s litellm -- up [--version X.Y.Z] [--state FILE] [--engine-log] [--general-setting K=V]... [--ui-setting K=V]... | down [--state FILE]`);
  } catch (err) {
    say(err instanceof StepError || err instanceof UsageError ? err.message : String(err?.stack ?? err));
    process.exit(err instanceof UsageError ? 2 : 1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
