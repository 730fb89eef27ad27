// A consumer of the generated Dart (`dart/video.dart` of the registry that
// tests/tests/consumers_swift_dart.rs writes), written as docs/targets/dart.md
// recommends. No Dart SDK runs here: the test reads it with tree-sitter, before
// and after a code is added to the registry.

import 'video.dart';

/// What the app shows: a `switch` over `Video` needs its `default`.
String describe(VideoException error) {
  switch (error.entry) {
    case Video.roomNotFound:
      return 'No such room';
    case Video.participantDisconnected:
      return 'Disconnected';
    default:
      return error.toString();
  }
}

/// Whether to try again: `retry` is asked of the entry, known or not.
bool shouldRetry(VideoException error) {
  final retry = error.entry?.retry;
  switch (retry) {
    case VideoRetryNever():
    case VideoRetryUnspecified():
      return false;
    default:
      return retry != null && retry.isRetryable;
  }
}

/// A code received from the platform channel, kept whether this build knows it or not.
Never fail(int code, String message) => throw VideoException(code, message);

void main() {
  final known = Video.fromCode(53106);
  assert(known == Video.roomNotFound);
  final unknown = VideoException(99999, 'Sent by a newer server');
  assert(!unknown.isKnown && unknown.entry == null && unknown.name == null);
  try {
    fail(99999, 'Sent by a newer server');
  } on VideoException catch (error) {
    print(describe(error));
    print(error.code);
    print(error.message);
    print(shouldRetry(error));
  }
  try {
    throw VideoException.of(Video.roomNotFound);
  } on VideoException catch (error) {
    print(error);
  }
  final byName = Video.fromName('ROOM_NOT_FOUND');
  print(byName?.code);
  for (final value in Video.values) {
    print(value.name);
  }
}
