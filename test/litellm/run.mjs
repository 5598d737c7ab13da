#!/usr/bin/env node
// npm run test:litellm: keyward's real-proxy suite (keyward.litellm.ts) against each LiteLLM version in
// versions.json (newest and old), one proxy at a time, started and stopped with harness.mjs.
//   KEYWARD_LITELLM_VERSIONS="1.108.0"  test only these versions (space or comma separated)
//   KEYWARD_LITELLM_TESTS="windows"     run only the *.litellm.ts files whose path matches (jest path patterns,
//                                       space or comma separated), e.g. while working on one file
//   npm run test:litellm -- test/litellm/no-custom-keys.litellm.ts   only these files (the arguments go to jest)
// Prints a "Tested against" table (markdown) at the end and writes it, with the raw results, to
// <cache>/keyward/litellm/last-run.{md,json}. Exit code: 0 when every version passed, else 1.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const cache = path.join(process.env.KEYWARD_CACHE_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "keyward"), "litellm");
const say = (m) => process.stderr.write(`test:litellm: ${m}\n`);

function versions() {
  if (process.env.KEYWARD_LITELLM_VERSIONS) return process.env.KEYWARD_LITELLM_VERSIONS.split(/[\s,]+/).filter(Boolean);
  const file = path.join(HERE, "versions.json");
  if (!existsSync(file)) return ["1.108.0"];
  const v = JSON.parse(readFileSync(file, "utf8"));
  return [v.newest, v.old].filter(Boolean);
}

const t0 = Date.now();
mkdirSync(cache, { recursive: true });
say("building keyward (npm run build)");
const build = spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
if (build.status !== 0) process.exit(1);

const results = [];
for (const version of versions()) {
  const state = path.join(cache, `test-run-${version}.json`);
  const started = Date.now();
  say(`LiteLLM ${version}: starting the proxy`);
  const up = spawnSync(process.execPath, [path.join(HERE, "harness.mjs"), "up", "--version", version, "--state", state], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const upSeconds = (Date.now() - started) / 1000;
  if (up.status !== 0) {
    results.push({ version, upSeconds, error: `the proxy did not start (harness exit ${up.status})`, tests: [] });
    continue;
  }
  const env = { ...process.env, KEYWARD_LITELLM_VERSION: version };
  for (const line of up.stdout.trim().split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
  }
  const out = path.join(cache, `jest-${version}.json`);
  rmSync(out, { force: true });
  const testStart = Date.now();
  const only = (process.env.KEYWARD_LITELLM_TESTS ?? "").split(/[\s,]+/).filter(Boolean);
  const jest = spawnSync(process.execPath, ["--experimental-vm-modules", path.join(ROOT, "node_modules", "jest", "bin", "jest.js"), "-c", path.join(HERE, "jest.config.js"), "--json", `--outputFile=${out}`, ...only, ...process.argv.slice(2)], { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] });
  const testSeconds = (Date.now() - testStart) / 1000;
  say(`LiteLLM ${version}: stopping the proxy`);
  spawnSync(process.execPath, [path.join(HERE, "harness.mjs"), "down", "--state", state], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] });
  const report = existsSync(out) ? JSON.parse(readFileSync(out, "utf8")) : { testResults: [] };
  const tests = report.testResults.flatMap((f) => f.assertionResults.map((a) => ({
    feature: a.ancestorTitles.at(-1) ?? a.title,
    title: a.title,
    status: a.status,
  })));
  results.push({ version, upSeconds, testSeconds, exit: jest.status, tests });
}

const features = [...new Set(results.flatMap((r) => r.tests.map((t) => t.feature)))];
const cell = (r, feature) => {
  if (r.error) return "not run";
  const ts = r.tests.filter((t) => t.feature === feature);
  if (!ts.length) return "-";
  return ts.every((t) => t.status === "passed") ? "pass" : `FAIL (${ts.filter((t) => t.status !== "passed").length}/${ts.length})`;
};
const lines = [
  `| feature | ${results.map((r) => `LiteLLM ${r.version}`).join(" | ")} |`,
  `|---|${results.map(() => "---").join("|")}|`,
  ...features.map((f) => `| ${f} | ${results.map((r) => cell(r, f)).join(" | ")} |`),
  `| proxy start-up (s) | ${results.map((r) => r.upSeconds.toFixed(0)).join(" | ")} |`,
];
const table = `${lines.join("\n")}\n`;
const total = (Date.now() - t0) / 1000;
writeFileSync(path.join(cache, "last-run.md"), `Run ${new Date().toISOString()} (${total.toFixed(0)} s)\n\n${table}`);
writeFileSync(path.join(cache, "last-run.json"), `${JSON.stringify({ at: new Date().toISOString(), seconds: total, results }, null, 2)}\n`);
process.stdout.write(table);
say(`done in ${total.toFixed(0)} s (table in ${path.join(cache, "last-run.md")})`);
const ok = results.length > 0 && results.every((r) => !r.error && r.exit === 0 && r.tests.length > 0 && r.tests.every((t) => t.status === "passed"));
process.exit(ok ? 0 : 1);
