// What following cannot show (server/classroom/README.md, "The teacher's traffic"): the relay
// carries the teacher's HTTP/1.1 connections only, with the teacher's session blanked in place.
// The gRPC lesson's client-streaming and bidirectional calls (create-users, the chat) run over
// h2c, whose headers are HPACK-compressed: blanking them would mean rebuilding the stream, so they
// are not relayed, and a follower's page on that lesson says so rather than showing nothing.

/** The gRPC lesson, in either language: where the teacher's streaming calls do not reach followers. */
export function streamingCallsNotRelayedOn(pathname: string): boolean {
  return /^\/(en|ru)\/grpc\/?$/.test(pathname);
}
