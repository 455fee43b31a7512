// The recent recognitions of a whole deployment, for
// GET /api/v1/recognition/recognized on any instance: a capped Redis list
// (`<prefix>:recognitions:recent`, newest first) that each camera owner
// pushes its decisions to once they are settled (attendance outcome known).
//
// - Names are not stored: they are looked up when the list is read (the
//   employee directory), so Redis holds no personal fields and a renamed
//   person reads as they are now. Erasure drops their entries, and one the
//   directory no longer knows (erased meanwhile) is never listed.
// - A decision of this instance that is not in the list yet (attendance still
//   being written) is served from this instance's memory meanwhile.
// - Redis away: this instance's own decisions answer (its ring); a decision
//   settled while Redis is away never reaches the shared list.
// - The list lapses a week after the last push, so an idle or retired
//   deployment does not keep it forever.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { cameraId, employeeId, type EmployeeId } from '../domain/ids.js';
import type { EmployeeDirectory } from '../live/employee-directory.js';
import { RecentRecognitions, type RecentQuery, type RecentRecognition, type RecentRecognitionLog } from '../live/recent-recognitions.js';
import type { RedisNamespace } from './redis-namespace.js';

export const RECENT_RECOGNITIONS_CAPACITY = 500;
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/** What one list item holds: the decision without the person's name and code. */
const storedSchema = z.object({
  cameraId: z.number().int(),
  trackId: z.number().int(),
  employeeId: z.number().int(),
  confidence: z.number(),
  method: z.enum(['svm', 'cosine', 'manual']),
  at: z.number(),
  firstSeenAt: z.number(),
  frameNumber: z.number().int(),
  box: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  attendance: z.enum(['pending', 'logged', 'duplicate', 'queued', 'rejected', 'failed']),
  instanceId: z.string(),
});
type Stored = z.infer<typeof storedSchema>;

const toStored = (e: RecentRecognition): Stored => ({
  cameraId: e.cameraId,
  trackId: e.trackId,
  employeeId: e.employeeId,
  confidence: e.confidence,
  method: e.method,
  at: e.at,
  firstSeenAt: e.firstSeenAt,
  frameNumber: e.frameNumber,
  box: [...e.box],
  attendance: e.attendance,
  instanceId: e.instanceId,
});

const fromStored = (s: Stored): RecentRecognition => ({
  ...s,
  cameraId: cameraId(s.cameraId),
  employeeId: employeeId(s.employeeId),
  employeeName: null,
  employeeCode: null,
});

/** One decision, wherever it is read from. */
const identity = (e: Pick<RecentRecognition, 'instanceId' | 'cameraId' | 'trackId' | 'at'>): string => `${e.instanceId}:${e.cameraId}:${e.trackId}:${e.at}`;

/** Removes every item of one employee (items are JSON; cjson is Redis's own). */
const FORGET = `
local removed = 0
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local ok, decoded = pcall(cjson.decode, item)
  if ok and type(decoded) == 'table' and decoded.employeeId == tonumber(ARGV[1]) then
    removed = removed + redis.call('LREM', KEYS[1], 0, item)
  end
end
return removed`;

export function createRedisRecentRecognitions(options: {
  redis: Redis;
  ns: RedisNamespace;
  directory: EmployeeDirectory;
  log: Logger;
  capacity?: number;
}): RecentRecognitionLog {
  const { redis, directory, log } = options;
  const capacity = options.capacity ?? RECENT_RECOGNITIONS_CAPACITY;
  const key = options.ns.key('recognitions', 'recent');
  // This instance's decisions: the answer while Redis is away.
  const own = new RecentRecognitions(capacity);
  // Added here and not (yet) in the shared list.
  const unshared = new Set<RecentRecognition>();
  let failing = false;
  const redisFailed = (error: unknown, what: string): void => {
    if (!failing) {
      failing = true;
      log.warn({ err: error }, `recent recognitions: ${what} failed (Redis away?); this instance's own decisions answer meanwhile`);
    }
  };
  const redisOk = (): void => {
    failing = false;
  };

  /** Names as they are now; someone the directory no longer has (erased) is left out. */
  const withNames = async (entries: RecentRecognition[]): Promise<RecentRecognition[]> => {
    let labels: Map<EmployeeId, { fullName: string; employeeCode: string }>;
    try {
      labels = await directory.lookup(entries.map((e) => e.employeeId));
    } catch (error) {
      log.warn({ err: error }, 'recent recognitions: employee lookup failed; listed without names');
      return entries;
    }
    return entries.flatMap((e) => {
      const label = labels.get(e.employeeId);
      return label === undefined ? [] : [{ ...e, employeeName: label.fullName, employeeCode: label.employeeCode }];
    });
  };

  const sharedEntries = async (): Promise<RecentRecognition[]> => {
    const items = await redis.lrange(key, 0, capacity - 1);
    return items.flatMap((item) => {
      try {
        const parsed = storedSchema.safeParse(JSON.parse(item));
        return parsed.success ? [fromStored(parsed.data)] : [];
      } catch {
        return [];
      }
    });
  };

  return {
    add(entry) {
      own.add(entry);
      unshared.add(entry);
    },

    settled(entry) {
      if (!unshared.has(entry)) {
        // Forgotten (erased) while its attendance was written.
        return;
      }
      void redis
        .multi()
        .lpush(key, JSON.stringify(toStored(entry)))
        .ltrim(key, 0, capacity - 1)
        .pexpire(key, KEEP_MS)
        .exec()
        .then(redisOk, (error: unknown) => redisFailed(error, 'sharing a decision'))
        .finally(() => unshared.delete(entry));
    },

    async forgetEmployee(id) {
      await own.forgetEmployee(id);
      for (const entry of unshared) {
        if (entry.employeeId === id) {
          unshared.delete(entry);
        }
      }
      await redis.eval(FORGET, 1, key, String(id));
    },

    async read(query: RecentQuery = {}) {
      const limit = Math.max(0, query.limit ?? 50);
      // Taken before the list: an entry pushed in between is in both, and counted once.
      const mine = [...unshared];
      let shared: RecentRecognition[];
      try {
        shared = await sharedEntries();
        redisOk();
      } catch (error) {
        redisFailed(error, 'reading the shared list');
        return own.read(query);
      }
      const seen = new Set<string>();
      const merged: RecentRecognition[] = [];
      for (const entry of [...mine, ...shared]) {
        const id = identity(entry);
        if (!seen.has(id) && (query.cameraId === undefined || entry.cameraId === query.cameraId)) {
          seen.add(id);
          merged.push(entry);
        }
      }
      merged.sort((x, y) => y.at - x.at);
      // Erased people drop out after the cut: the answer may hold fewer than `limit` for a moment.
      return withNames(merged.slice(0, limit));
    },
  };
}
