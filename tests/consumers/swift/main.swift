// A consumer of the generated Swift (`swift/video.swift` of the registry that
// tests/tests/consumers_swift_dart.rs writes), written as docs/targets/swift.md
// recommends. No Swift toolchain runs here: the test reads it with tree-sitter,
// before and after a code is added to the registry.

import Foundation

/// What the app shows: a `switch` over the open `Video` needs its `default`.
func describe(_ error: VideoError) -> String {
    switch error.code {
    case .roomNotFound:
        return "No such room"
    case .participantDisconnected:
        return "Disconnected"
    default:
        return error.description
    }
}

/// Whether to try again: `retry` is asked of the entry, known or not.
func shouldRetry(_ error: VideoError) -> Bool {
    guard let entry = error.entry else { return false }
    switch entry.retry {
    case .never, .unspecified:
        return false
    default:
        return entry.retry.isRetryable
    }
}

/// A code received from the server, kept whether this build knows it or not.
func fail(code: Int, message: String) throws {
    throw VideoError(Video(rawValue: code), message: message)
}

func run() {
    let known = Video(rawValue: 53106)
    precondition(known == Video.roomNotFound && known.isKnown)
    let unknown = Video(rawValue: 99999)
    precondition(!unknown.isKnown && unknown.entry == nil)
    precondition(Video(code: 99999) == nil)
    do {
        try fail(code: 99999, message: "Sent by a newer server")
    } catch let error as VideoError {
        print(describe(error), error.code.rawValue, error.message, shouldRetry(error))
        print(VideoError.errorDomain, error.errorCode, error.localizedDescription)
    } catch {
        print(error)
    }
    if let byName = Video(name: "ROOM_NOT_FOUND") {
        print(byName.code, byName.entry?.message ?? "")
    }
    for value in Video.allCases {
        print(value.description)
    }
}

run()
