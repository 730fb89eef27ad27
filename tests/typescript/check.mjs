// Loads the JavaScript that tsc emitted from the generated TypeScript and prints, as JSON,
// what every catalog module exports and answers, for tests/tests/typescript.rs to compare
// with the registry. Usage: node check.mjs OUT_DIR
//
// The script knows nothing of the registry: it reports what the modules do, and the Rust
// test decides whether that is right.

import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const outDir = process.argv[2];
// Codes and names that must be unknown, per catalog (the registry's retired ones).
const extra = JSON.parse(process.env.ERRSPEC_PROBES ?? "{}");
if (outDir === undefined) {
  console.error("usage: node check.mjs OUT_DIR");
  process.exit(2);
}

const load = (file) => import(pathToFileURL(resolve(outDir, file)).href);

/** `undefined` becomes null; anything else is reported as it is, so a wrong value shows. */
const lookup = (all, result) => {
  if (result === undefined) return null;
  const index = all.indexOf(result);
  return index >= 0 ? { index } : { notInAll: describe(result) };
};

const describe = (value) =>
  value === null ? "null" : typeof value === "object" ? JSON.stringify(value) : `${typeof value} ${String(value)}`;

const catalogs = {};
const modules = new Map();
for (const file of readdirSync(outDir).filter((f) => f.endsWith(".js") && f !== "index.js").sort()) {
  const stem = file.slice(0, -".js".length);
  const mod = await load(file);
  modules.set(mod, stem);
  const all = mod.ALL;
  const report = {
    exports: Object.keys(mod).sort(),
    exportTypes: Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v])),
    allIsArray: Array.isArray(all),
  };
  // The constant objects (`SdkCode`, `RecorderName`), key order kept.
  report.constants = Object.fromEntries(
    Object.entries(mod)
      .filter(([k, v]) => k !== "ALL" && typeof v === "object" && v !== null)
      .map(([k, v]) => [k, Object.entries(v)]),
  );
  if (Array.isArray(all)) {
    report.all = all;
    // Own keys as they are, so a property present with the value `undefined` shows.
    report.allKeys = all.map((e) => Object.keys(e));
    const names = new Set(all.flatMap((e) => [e.name, e.canonicalName, ...(e.aliases ?? []), ...(e.acceptedNames ?? [])]));
    names.delete(undefined);
    if (typeof mod.fromName === "function") {
      report.fromName = [...names].map((n) => [n, lookup(all, mod.fromName(n))]);
      // Names no entry has: prototype members, case and whitespace variants.
      const probes = ["", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "undefined", "null"];
      probes.push(...(extra[stem]?.names ?? []));
      for (const e of all) {
        probes.push(String(e.name).toLowerCase(), ` ${e.name}`, `${e.name} `, `${e.name}_`);
      }
      report.unknownNames = [...new Set(probes)]
        .filter((p) => !names.has(p))
        .map((p) => [p, lookup(all, mod.fromName(p))]);
    }
    if (typeof mod.fromCode === "function") {
      report.fromCode = all.map((e) => [e.code, lookup(all, mod.fromCode(e.code))]);
      const codes = new Set(all.map((e) => e.code));
      const max = Math.max(0, ...codes);
      const probes = [-1, 0.5, max + 1, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY];
      probes.push(...(extra[stem]?.codes ?? []));
      report.unknownCodes = probes
        .filter((p) => !codes.has(p))
        .map((p) => [String(p), lookup(all, mod.fromCode(p))]);
    }
    // The error class (the exported subclass of Error) and its `create…` factory: one error
    // per entry, with a message received and without, and errors of codes or names no entry
    // has (the probes above), thrown and caught.
    const ErrorClass = Object.values(mod).find((v) => typeof v === "function" && v.prototype instanceof Error);
    const create = Object.entries(mod).find(([k, v]) => k.startsWith("create") && typeof v === "function")?.[1];
    report.hasErrorClass = ErrorClass !== undefined && create !== undefined;
    if (report.hasErrorClass) {
      const keyed = typeof mod.fromCode === "function";
      const caught = (key, message) => {
        try {
          throw create(key, message);
        } catch (err) {
          return {
            text: String(err),
            instance: err instanceof ErrorClass && err instanceof Error,
            name: err.name,
            message: err.message,
            key: keyed ? err.code : err.errorName,
            entry: err.entry === undefined ? null : all.indexOf(err.entry),
          };
        }
      };
      report.errors = all.map((e) => [caught(keyed ? e.code : e.name, "received"), caught(keyed ? e.code : e.name)]);
      const unknown = keyed
        ? (report.unknownCodes ?? []).map(([p]) => Number(p)).filter((p) => Number.isFinite(p))
        : (report.unknownNames ?? []).map(([p]) => p);
      report.unknownErrors = unknown.map((k) => [keyed ? k : String(k), caught(k, "received")]);
    }
  }
  catalogs[stem] = report;
}

const index = await load("index.js");
const reexports = Object.fromEntries(
  Object.entries(index).map(([k, v]) => [k, modules.get(v) ?? { notACatalogModule: describe(v) }]),
);

process.stdout.write(JSON.stringify({ catalogs, index: reexports }));
