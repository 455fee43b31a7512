// An event target that puts every topic under REDIS_PREFIX (`<prefix>:<topic>`)
// before it reaches Redis, so the channels of two deployments never mix.
// graphql-yoga's pub/sub only reads `detail` from the events it gets back,
// hence the prefixed name can stay on the delivered event.
import type { createRedisEventTarget } from '@graphql-yoga/redis-event-target';

export type AppEventTarget = ReturnType<typeof createRedisEventTarget<CustomEvent>>;

export function prefixedEventTarget(target: AppEventTarget, prefix: string): AppEventTarget {
  const channel = (topic: string): string => `${prefix}:${topic}`;
  return {
    addEventListener: (topic, listener) => target.addEventListener(channel(topic), listener),
    removeEventListener: (topic, listener) => target.removeEventListener(channel(topic), listener),
    dispatchEvent: (event) => target.dispatchEvent(new CustomEvent(channel(event.type), { detail: event.detail as unknown })),
  };
}
