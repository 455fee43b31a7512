// Who this process is among the instances of one deployment: an id made once
// at start and kept for the process's lifetime (a restart is a new instance,
// so a lease or an outbox of the previous run is never mistaken for its own).
// Readable on purpose: host and pid tell an operator where to look.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Brand } from '../domain/ids.js';

export type InstanceId = Brand<string, 'InstanceId'>;

export type InstanceRole = 'server' | 'worker';

/** `<host>-<pid>-<6 hex>`; only [A-Za-z0-9-] so it fits in keys, folder names and metric labels. */
export function newInstanceId(): InstanceId {
  const host = hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 32) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}` as InstanceId;
}

export function instanceId(text: string): InstanceId {
  return text as InstanceId;
}
