'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from './I18nProvider.tsx';

/**
 * A modal dialog on the native <dialog> element: focus is kept inside, Escape
 * closes it, and focus goes back to what opened it. Generic.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  wide = false,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: string;
  children: ReactNode;
  wide?: boolean;
}) {
  const { m } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  useEffect(() => {
    if (open) return;
    const target = opener.current;
    if (target instanceof HTMLElement && target.isConnected) target.focus();
    opener.current = null;
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself) closes it.
        if (event.target === ref.current) onClose();
      }}
    >
      {open ? (
        <div className="dialog__inner">
          <div className="dialog__header">
            <h2 id={titleId} className="section-title">
              {title}
            </h2>
            <button type="button" className="button button--quiet button--small" onClick={onClose}>
              {m.common.close}
            </button>
          </div>
          {description ? (
            <p id={descriptionId} className="muted">
              {description}
            </p>
          ) : null}
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
