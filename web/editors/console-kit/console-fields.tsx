import type { InputHTMLAttributes, ReactNode } from 'react';

// The inputs of a console's rows, each a label around its control (the label is what a screen
// reader and a test's getByLabel find). Widths are the kit's classes: wide for URLs and payloads,
// narrow for numbers.

type Width = 'wide' | 'narrow' | 'normal';
const inputClass = (width: Width) => (width === 'wide' ? 'rt-input rt-input-wide' : width === 'narrow' ? 'rt-input rt-input-narrow' : 'rt-input');

/** A labelled text input; the rest of `input` goes to the <input> as it is (inputMode, placeholder, aria-invalid…). */
export function TextField({
  label,
  value,
  onChange,
  testId,
  width = 'normal',
  title,
  disabled,
  input,
}: {
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  testId: string;
  width?: Width;
  title?: string;
  disabled?: boolean;
  input?: InputHTMLAttributes<HTMLInputElement>;
}) {
  return (
    <label className={width === 'wide' ? 'rt-field rt-input-wide' : 'rt-field'} title={title}>
      {label}
      <input
        className={inputClass(width)}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        data-testid={testId}
        spellCheck={false}
        {...input}
      />
    </label>
  );
}

/** A labelled checkbox, the box before its label. */
export function CheckField({
  label,
  checked,
  onChange,
  testId,
  title,
  disabled,
}: {
  label: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
  testId: string;
  title?: string;
  disabled?: boolean;
}) {
  return (
    <label className="rt-field" title={title}>
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} disabled={disabled} data-testid={testId} /> {label}
    </label>
  );
}

/** One choice of a group of radio buttons (`name` groups them; make it unique per cell). */
export function RadioField({ label, name, checked, onChoose, testId }: { label: ReactNode; name: string; checked: boolean; onChoose(): void; testId: string }) {
  return (
    <label className="rt-field">
      <input type="radio" name={name} checked={checked} onChange={onChoose} data-testid={testId} /> {label}
    </label>
  );
}

/** A labelled <select> of a few fixed values. */
export function SelectField<V extends string | number>({
  label,
  value,
  options,
  onChange,
  testId,
  title,
  disabled,
}: {
  label: ReactNode;
  value: V;
  options: ReadonlyArray<{ value: V; label: ReactNode }>;
  onChange(value: V): void;
  testId: string;
  title?: string;
  disabled?: boolean;
}) {
  return (
    <label className="rt-field" title={title}>
      {label}
      <select
        className="rt-input"
        value={value}
        onChange={(event) => onChange(options.find((option) => String(option.value) === event.target.value)?.value ?? value)}
        disabled={disabled}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The draft of a message to send: Ctrl+Enter (⌘+Enter) sends it, as in the HTTP cell. */
export function MessageBox({
  label,
  value,
  onChange,
  onSend,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  onSend(): void;
  testId: string;
}) {
  return (
    <textarea
      className="rt-input"
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          onSend();
        }
      }}
      data-testid={testId}
      spellCheck={false}
      rows={2}
    />
  );
}
