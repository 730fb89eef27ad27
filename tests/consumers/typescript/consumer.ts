// A consumer of the generated `sdk` module, written as docs/targets/typescript.md recommends:
// every code received becomes an `SdkError` (known or not), a `switch` on the code has a
// `default` branch, and errors are thrown and caught as `SdkError`. tests/tests/typescript.rs
// compiles it with tsc (strict) and runs it with Node, before and after a code is added to
// the registry, and compares what it prints (tests/src/consumer.rs).
import { SdkCode, SdkError, createSdkError } from "./sdk.js";

declare const process: { stdout: { write(s: string): void } };

/** What the app does: a case per code it handles, a default for the rest (and the future). */
function handling(error: SdkError): string {
  switch (error.code) {
    case SdkCode.INVALID_TOKEN:
      return "fetch a new token";
    default:
      return error.entry === undefined ? "unknown to this version" : `known: ${error.entry.name}`;
  }
}

function retry(error: SdkError): string {
  switch (error.entry?.retry.kind) {
    case "never":
      return "never";
    case "fix":
      return "fix";
    default:
      return "no guidance";
  }
}

function report(error: SdkError): string {
  return [
    `decoded ${error.code}: ${error.toString()}`,
    `  code ${error.code}, entry ${error.entry?.name ?? "none"}, message ${JSON.stringify(error.message)}`,
    `  retry: ${retry(error)}`,
    `  handling: ${handling(error)}`,
  ].join("\n");
}

/** What the SDK's event gives: a code and a message, maybe from a newer server. */
function onError(event: { code: number; message?: string }): never {
  throw createSdkError(event.code, event.message);
}

const lines = [
  report(createSdkError(4002, "token expired")),
  report(createSdkError(5007, "transcription failed")),
  report(createSdkError(6001)),
];
try {
  onError({ code: 5007, message: "transcription failed" });
} catch (e) {
  if (e instanceof SdkError && e instanceof Error && e.name === "SdkError") {
    lines.push(`caught: ${String(e)}`);
  } else {
    lines.push(`caught something else: ${String(e)}`);
  }
}
process.stdout.write(lines.join("\n") + "\n");
