import { describe, expect, it } from 'vitest';
import { assignPartitions, partitionOfTopic } from './partition-assignment.ts';

describe('assignPartitions', () => {
  it('gives every partition to one running member, round robin in name order', () => {
    expect(assignPartitions(['w2', 'w1'], 3)).toEqual(['w1', 'w2', 'w1']);
    expect(assignPartitions(['a', 'b', 'c'], 3)).toEqual(['a', 'b', 'c']);
  });

  it('moves a leaving member’s partitions to those who stay (a rebalance)', () => {
    expect(assignPartitions(['w1', 'w2', 'w3'], 3)).toEqual(['w1', 'w2', 'w3']);
    expect(assignPartitions(['w1', 'w3'], 3)).toEqual(['w1', 'w3', 'w1']);
  });

  it('leaves partitions without a reader when no member runs', () => {
    expect(assignPartitions([], 3)).toEqual([null, null, null]);
  });

  it('leaves members idle when they outnumber the partitions', () => {
    expect(assignPartitions(['a', 'b', 'c', 'd'], 3)).toEqual(['a', 'b', 'c']);
  });
});

describe('partitionOfTopic', () => {
  it('reads orders/<n> below the partition count only', () => {
    expect(partitionOfTopic('orders/0', 3)).toBe(0);
    expect(partitionOfTopic('orders/2', 3)).toBe(2);
    expect(partitionOfTopic('orders/3', 3)).toBeNull();
    expect(partitionOfTopic('orders/x', 3)).toBeNull();
    expect(partitionOfTopic('orders/1/a', 3)).toBeNull();
  });
});
