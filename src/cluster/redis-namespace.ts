// REDIS_PREFIX applied in one place: every key, pub/sub channel and BullMQ
// queue of the app is named through this, so two deployments on one Redis
// never read each other's state. Keys are `<prefix>:<part>:<part>...`.
export interface RedisNamespace {
  readonly prefix: string;
  /** `<prefix>:a:b:c` */
  key(...parts: (string | number)[]): string;
}

export function redisNamespace(prefix: string): RedisNamespace {
  return {
    prefix,
    key: (...parts) => [prefix, ...parts].join(':'),
  };
}
