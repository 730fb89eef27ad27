// A consumer of the generated `errspec` package, written as docs/targets/go.md recommends:
// every code received becomes a *errspec.SdkError (known or not), a `switch` on its code has
// a `default` branch, and errors are returned and found with errors.As. tests/tests/go.rs
// vets it and runs it, before and after a code is added to the registry, and compares what it
// prints (tests/src/consumer.rs).
package main

import (
	"errors"
	"fmt"
	"strings"

	"errspecconsumer/errspec"
)

// handling is what the app does: a case per code it handles, a default for the rest (and the future).
func handling(err *errspec.SdkError) string {
	switch err.Code {
	case errspec.Sdk_INVALID_TOKEN:
		return "fetch a new token"
	default:
		if entry, ok := err.Entry(); ok {
			return "known: " + entry.Name()
		}
		return "unknown to this version"
	}
}

func retry(err *errspec.SdkError) string {
	switch err.Code.Retry().Kind {
	case errspec.SdkRetryNever:
		return "never"
	case errspec.SdkRetryAfterFix:
		return "fix"
	default:
		return "no guidance"
	}
}

func report(err *errspec.SdkError) string {
	name := "none"
	if err.Known() {
		name = err.Code.Name()
	}
	return strings.Join([]string{
		fmt.Sprintf("decoded %d: %s", err.Code, err.Error()),
		fmt.Sprintf("  code %d, entry %s, message %q", err.Code, name, err.Message),
		"  retry: " + retry(err),
		"  handling: " + handling(err),
	}, "\n")
}

// join is what the SDK's call gives: an error with a code and a message, maybe from a newer server.
func join() error {
	return fmt.Errorf("join: %w", &errspec.SdkError{Code: 5007, Message: "transcription failed"})
}

func main() {
	lines := []string{
		report(&errspec.SdkError{Code: 4002, Message: "token expired"}),
		report(&errspec.SdkError{Code: 5007, Message: "transcription failed"}),
		report(&errspec.SdkError{Code: 6001}),
	}
	var sdkErr *errspec.SdkError
	if err := join(); errors.As(err, &sdkErr) {
		lines = append(lines, "caught: "+sdkErr.Error())
	} else {
		lines = append(lines, fmt.Sprintf("caught something else: %v", err))
	}
	fmt.Print(strings.Join(lines, "\n") + "\n")
}
