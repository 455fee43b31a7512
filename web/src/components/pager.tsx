// Previous / next under a paged table, with the range shown ("26–50 of 120").
import type { ReactElement } from 'react';
import { Button } from './ui';

export function Pager({
  skip,
  pageSize,
  totalCount,
  onSkip,
  none = '',
}: {
  skip: number;
  pageSize: number;
  totalCount: number;
  onSkip: (skip: number) => void;
  /** Said instead of the range when there is nothing. */
  none?: string;
}): ReactElement {
  return (
    <div className="pager">
      <span>{totalCount === 0 ? none : `${skip + 1}–${Math.min(skip + pageSize, totalCount)} of ${totalCount}`}</span>
      <div className="row">
        <Button disabled={skip === 0} onClick={() => onSkip(Math.max(0, skip - pageSize))}>
          Previous
        </Button>
        <Button disabled={skip + pageSize >= totalCount} onClick={() => onSkip(skip + pageSize)}>
          Next
        </Button>
      </div>
    </div>
  );
}
