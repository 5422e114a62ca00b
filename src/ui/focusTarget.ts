import type { MouseEvent } from 'react';

/**
 * An in-page link that moves focus without touching the URL: the hash holds the experiment, so
 * following "#run-controls" must not replace it.
 */
export function focusTarget(e: MouseEvent<HTMLAnchorElement>): void {
  const id = e.currentTarget.getAttribute('href')?.slice(1);
  const target = id ? document.getElementById(id) : null;
  if (!target) return;
  e.preventDefault();
  target.scrollIntoView({ block: 'center' });
  target.focus();
}
