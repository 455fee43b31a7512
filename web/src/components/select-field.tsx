// A labelled choice among records (people, cameras), with a first "none" choice of value "".
import type { ReactElement } from 'react';
import { Field } from './ui';

export interface Choice {
  value: number | string;
  label: string;
}

export function SelectField({
  label,
  hint,
  value,
  onChange,
  none,
  choices,
  required,
  disabled,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  /** The label of the first choice, whose value is "". */
  none: string;
  choices: readonly Choice[];
  required?: boolean;
  disabled?: boolean;
}): ReactElement {
  return (
    <Field label={label} {...(hint === undefined ? {} : { hint })}>
      {(p) => (
        <select {...p} required={required} disabled={disabled} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{none}</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
