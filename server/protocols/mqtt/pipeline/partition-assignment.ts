/**
 * Which member of a consumer group reads which partition: Kafka's round-robin assignor over the
 * members that are running, in name order. A partition with no member left is `null`: its
 * messages wait in the broker (the group's lag grows) until a member joins again.
 */
export function assignPartitions(runningMembers: readonly string[], partitions: number): Array<string | null> {
  const members = [...runningMembers].sort();
  return Array.from({ length: partitions }, (_, partition) => (members.length === 0 ? null : members[partition % members.length]!));
}

/** The partition of an order's topic (`orders/2` → 2), or null when the topic names none. */
export function partitionOfTopic(topic: string, partitions: number): number | null {
  const match = /^orders\/(\d+)$/.exec(topic);
  if (!match) return null;
  const partition = Number(match[1]);
  return partition < partitions ? partition : null;
}
