'use client';

import { useEffect, useRef, type RefObject } from 'react';

/**
 * After a failed submit (`attempt` changes), moves focus to the first field in
 * `order` that has an error, or else to the alert banner.
 */
export function useFocusFirstError<F extends string>(
  attempt: number,
  order: readonly F[],
  errors: Partial<Record<F, string>>,
  fieldRefs: RefObject<Partial<Record<F, HTMLElement | null>>>,
  bannerRef: RefObject<HTMLElement | null>,
): void {
  const latest = useRef({ order, errors });
  latest.current = { order, errors };
  useEffect(() => {
    if (attempt === 0) return;
    const { order: fields, errors: current } = latest.current;
    const first = fields.find((field) => current[field]);
    const target = first ? fieldRefs.current[first] : bannerRef.current;
    target?.focus();
  }, [attempt, fieldRefs, bannerRef]);
}
