// The app's tables: a labelled, scrollable table with a header row, and one full-width
// row for the empty state (so the table and its headings stay where the user looks).
import type { ReactElement, ReactNode } from 'react';

/** A column heading; `hidden` ones (the row actions) are read by screen readers only. */
export type Column = string | { label: string; hidden: true };

/** The heading of the row actions column. */
export const ACTIONS_COLUMN: Column = { label: 'Actions', hidden: true };

export function DataTable({
  label,
  columns,
  empty,
  children,
}: {
  /** The table's accessible name. */
  label: string;
  columns: readonly Column[];
  /** Shown across the table instead of the rows when given (no rows, or no data to show). */
  empty?: ReactNode;
  children?: ReactNode;
}): ReactElement {
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col" key={c}>
                  {c}
                </th>
              ) : (
                <th scope="col" key={c.label}>
                  <span className="visually-hidden">{c.label}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {empty === undefined || empty === null || empty === false ? (
            children
          ) : (
            <tr>
              <td colSpan={columns.length}>{empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
