'use client';

import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  disabled?: boolean;
}

/**
 * A button opening a menu of actions (WAI-ARIA menu button): Enter, Space or
 * ArrowDown open it on the first item; arrows, Home and End move; Escape and
 * Tab close it; focus returns to the button. Generic.
 */
export function MenuButton({
  label,
  accessibleLabel,
  items,
  onSelect,
  disabled = false,
  className = 'button button--quiet button--small',
}: {
  label: string;
  /** A fuller name for assistive technology (e.g. "Move Nina Sol to…"). */
  accessibleLabel?: string;
  items: readonly MenuItem[];
  onSelect: (id: string) => void;
  disabled?: boolean;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const rootRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (open) itemRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const enabled = items.map((item, index) => (item.disabled ? -1 : index)).filter((i) => i >= 0);

  function openAt(position: 'first' | 'last') {
    if (enabled.length === 0) return;
    setActive(position === 'first' ? enabled[0]! : enabled[enabled.length - 1]!);
    setOpen(true);
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === 'ArrowDown' || event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      openAt('first');
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      openAt('last');
    }
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const position = enabled.indexOf(active);
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive(enabled[(position + 1) % enabled.length]!);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(enabled[(position - 1 + enabled.length) % enabled.length]!);
    } else if (event.key === 'Home') {
      event.preventDefault();
      setActive(enabled[0]!);
    } else if (event.key === 'End') {
      event.preventDefault();
      setActive(enabled[enabled.length - 1]!);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') {
      close(false);
    }
  }

  return (
    <div className="menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={accessibleLabel}
        disabled={disabled}
        onClick={() => (open ? close(false) : openAt('first'))}
        onKeyDown={onButtonKeyDown}
      >
        {label}
        <span aria-hidden="true" className="menu__caret">
          ▾
        </span>
      </button>
      {open ? (
        <ul role="menu" id={menuId} aria-label={accessibleLabel ?? label} className="menu__list" onKeyDown={onMenuKeyDown}>
          {items.map((item, index) => (
            <li key={item.id} role="none">
              <button
                ref={(el) => {
                  itemRefs.current[index] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={index === active ? 0 : -1}
                aria-disabled={item.disabled ? true : undefined}
                className="menu__item"
                onClick={() => {
                  if (item.disabled) return;
                  close(true);
                  onSelect(item.id);
                }}
              >
                {item.label}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
