/* A consumer of the generated `sdk.h`, written as docs/targets/c.md recommends: every code
   received becomes an errspec_sdk_error (known or not, its code and message kept), and a
   `switch` on its code has a `default` branch. tests/tests/c.rs compiles it as C11 and runs
   it under valgrind, before and after a code is added to the registry, and compares what it
   prints (tests/src/consumer.rs). */
#include <inttypes.h>
#include <stdio.h>

#include "sdk.h"

/* The error's text: "Sdk 4002 INVALID_TOKEN: token expired", "Sdk 6001". */
static void describe(const errspec_sdk_error *error, char *out, size_t size) {
    const char *message = errspec_sdk_error_message(error);
    int n = snprintf(out, size, "Sdk %" PRId64, error->code);
    if (n > 0 && (size_t)n < size && error->known != NULL) {
        n += snprintf(out + n, size - (size_t)n, " %s", error->known->name);
    }
    if (n > 0 && (size_t)n < size && message[0] != '\0') {
        snprintf(out + n, size - (size_t)n, ": %s", message);
    }
}

/* What the app does: a case per code it handles, a default for the rest (and the future). */
static const char *handling(const errspec_sdk_error *error) {
    switch (error->code) {
    case errspec_Sdk_INVALID_TOKEN:
        return "fetch a new token";
    default:
        return error->known != NULL ? "known" : "unknown to this version";
    }
}

static const char *retry(const errspec_sdk_error *error) {
    if (error->known == NULL) {
        return "no guidance";
    }
    switch (error->known->retry.kind) {
    case errspec_sdk_retry_never:
        return "never";
    case errspec_sdk_retry_fix:
        return "fix";
    default:
        return "no guidance";
    }
}

static void report(int64_t code, const char *message) {
    errspec_sdk_error error = errspec_sdk_error_make(code, message);
    char text[256];
    const char *name = error.known != NULL ? error.known->name : "none";
    describe(&error, text, sizeof text);
    printf("decoded %" PRId64 ": %s\n", error.code, text);
    printf("  code %" PRId64 ", entry %s, message \"%s\"\n", error.code, name,
           error.message != NULL ? error.message : "");
    printf("  retry: %s\n", retry(&error));
    if (error.known != NULL && error.code != errspec_Sdk_INVALID_TOKEN) {
        printf("  handling: %s: %s\n", handling(&error), error.known->name);
    } else {
        printf("  handling: %s\n", handling(&error));
    }
}

/* What the SDK's call gives: an error with a code and a message, maybe from a newer server. */
static int join(errspec_sdk_error *error) {
    *error = errspec_sdk_error_make(5007, "transcription failed");
    return -1;
}

int main(void) {
    errspec_sdk_error error;
    char text[256];
    report(4002, "token expired");
    report(5007, "transcription failed");
    report(6001, NULL);
    if (join(&error) != 0) {
        describe(&error, text, sizeof text);
        printf("caught: %s\n", text);
    }
    return 0;
}
