/**
 * Running past one process (README, "Scaling out"). Absent: everything stays in this process's
 * memory, the embedded default.
 */
export interface ScaleOptions {
  /** Redis that every instance shares (REDIS_URL): fan-out between instances and the state they share. */
  redisUrl: string;
  /**
   * Keys and channels this deployment owns in Redis start with it, so two deployments (or two
   * test files) can share one Redis. Default "wirelab:".
   */
  keyPrefix?: string;
  /** This instance's name in logs and in what it publishes; default a random one per process. */
  instanceId?: string;
}
