// Does this instance see the same DATA_DIR as the others? Several instances
// need one shared folder (a volume, NFS): snapshot files are written by the
// instance that logged the check-in but deleted by whichever instance runs
// the retention purge or an erasure, and the outbox of a dead instance is
// adopted by another. With folders of their own, those deletions miss files
// on other machines (biometric data kept past its retention or its erasure)
// and a dead instance's queued check-ins wait until it comes back.
//
// The proof is the outbox folder every instance makes for itself,
// DATA_DIR/outbox/<instance id>, before it announces itself in the registry
// (cluster-parts.ts): a live instance whose folder is not in this DATA_DIR
// writes to another one.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { InstanceId } from './instance-id.js';

export interface DataDirSharing {
  /** Live server instances that write to this same DATA_DIR (this one left out). */
  sharedWith: InstanceId[];
  /** Live server instances whose DATA_DIR is another folder. */
  notSharedWith: InstanceId[];
}

export interface DataDirCheck {
  check(): Promise<DataDirSharing>;
  /** The scheduled check: warns once for each set of instances not sharing. */
  warnIfNotShared(): Promise<void>;
}

export function createDataDirCheck(options: {
  /** DATA_DIR/outbox */
  outboxRoot: string;
  self: InstanceId;
  /** Live server instances. */
  alive(): Promise<InstanceId[]>;
  log: Logger;
}): DataDirCheck {
  let warned = '';
  const check = async (): Promise<DataDirSharing> => {
    const others = (await options.alive()).filter((id) => id !== options.self);
    const seen = await Promise.all(others.map(async (id) => (await stat(join(options.outboxRoot, id)).catch(() => null))?.isDirectory() === true));
    return {
      sharedWith: others.filter((_, i) => seen[i]).sort(),
      notSharedWith: others.filter((_, i) => !seen[i]).sort(),
    };
  };
  return {
    check,
    async warnIfNotShared() {
      const { notSharedWith } = await check();
      const key = notSharedWith.join(',');
      if (key !== '' && key !== warned) {
        options.log.warn(
          { notSharedWith },
          'DATA_DIR is not shared with these instances: snapshot purges and erasures through one instance miss the files another wrote, and a dead instance\'s outbox is not adopted (docs/deploy.md)',
        );
      }
      warned = key;
    },
  };
}
