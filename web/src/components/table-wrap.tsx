// A table that scrolls sideways inside its own box on a narrow screen. The box is a named,
// focusable region so keyboard users can scroll it too (WCAG: scrollable regions need keyboard access).
import type { ReactNode } from 'react';

export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>{children}</div>;
}
