import { useLayoutEffect, useRef, useState } from 'react';

/**
 * The width of an element, kept current by a ResizeObserver: plots draw at the width they are
 * given (a phone, a column of the desktop grid, an off-screen PNG render) instead of a fixed one.
 */
export function useWidth<E extends HTMLElement>(): [React.RefObject<E | null>, number] {
  const ref = useRef<E | null>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
