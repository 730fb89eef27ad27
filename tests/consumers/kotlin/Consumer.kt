// A consumer of the generated `sdk` catalog, written as docs/targets/kotlin.md recommends:
// every code received becomes an `SdkException` (known or not), a `when` on its entry has an
// `else` branch, and errors are thrown and caught as `SdkException`. tests/tests/kotlin.rs
// compiles it with kotlinc and runs it on the JVM, before and after a code is added to the
// registry, and compares what it prints (tests/src/consumer.rs).
package consumer

import errspec.generated.Sdk
import errspec.generated.SdkException
import errspec.generated.SdkRetry

/** What the app does: a branch per error it handles, `else` for the rest (and the future). */
fun handling(error: SdkException): String = when (error.entry) {
    Sdk.INVALID_TOKEN -> "fetch a new token"
    null -> "unknown to this version"
    else -> "known: ${error.entry?.name}"
}

fun retry(error: SdkException): String = when (error.entry?.retry) {
    SdkRetry.Never -> "never"
    is SdkRetry.AfterFix -> "fix"
    else -> "no guidance"
}

fun report(error: SdkException): String = listOf(
    "decoded ${error.code}: $error",
    "  code ${error.code}, entry ${error.entry?.name ?: "none"}, message \"${error.message}\"",
    "  retry: ${retry(error)}",
    "  handling: ${handling(error)}",
).joinToString("\n")

/** What the SDK's event gives: a code and a message, maybe from a newer server. */
fun onError(code: Int, message: String?): Nothing = throw Sdk.exception(code, message)

fun main() {
    val lines = mutableListOf(
        report(Sdk.exception(4002, "token expired")),
        report(SdkException(5007, "transcription failed")),
        report(Sdk.exception(6001)),
    )
    try {
        onError(5007, "transcription failed")
    } catch (e: SdkException) {
        lines.add("caught: $e")
    }
    print(lines.joinToString("\n") + "\n")
}
