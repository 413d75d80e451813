/**
 * One ordered list the marketer reorders and prunes: form fields, a field's options, scoring rules,
 * channel rules, routes. Each item gets a drag handle (the mouse's way), move up / move down buttons
 * (the keyboard's way: focus follows the item) and a Remove button, all named after the item; what
 * the item shows and edits is the caller's.
 */
import type { ComponentChildren } from "preact";

export interface SortableListProps<T> {
  items: readonly T[];
  /** Names the list for drag and drop: an item dropped on another list of the page is ignored. */
  name: string;
  /** Class of the `<ol>`, beside `sortable`. */
  class: string;
  /** Class of each `<li>`. @default "sortable-item" */
  itemClass?: string;
  /** The move buttons' ids are `${idBase}-${index}-up|down`, so focus can follow a moved item. */
  idBase: string;
  /** The item in the buttons' names: "Move {what} up", "Remove {what}". */
  what: (item: T, index: number) => string;
  /** The Remove button's accessible name, when it is not "Remove {what}". */
  removeLabel?: (item: T, index: number) => string;
  /** Moves item `from` to index `to` (by drag or by a button). */
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  /** What the item's row shows between its handle and its buttons. */
  head: (item: T, index: number) => ComponentChildren;
  /** What the item shows below its row (settings, conditions). */
  body?: (item: T, index: number) => ComponentChildren;
  /**
   * Handle, row and buttons straight in the `<li>` (a one-line item laid out by `itemClass`'s grid)
   * rather than in a `.sortable-head` row above the body.
   */
  flat?: boolean;
}

export function SortableList<T>({
  items,
  name,
  class: listClass,
  itemClass = "sortable-item",
  idBase,
  what,
  removeLabel,
  onMove,
  onRemove,
  head,
  body,
  flat,
}: SortableListProps<T>) {
  return (
    <ol class={`sortable ${listClass}`}>
      {items.map((item, i) => {
        const drag = dragHandlers(name, i, onMove);
        const named = what(item, i);
        const row = (
          <>
            <DragHandle {...drag.handle} />
            {head(item, i)}
            <MoveButtons index={i} count={items.length} what={named} onMove={onMove} idBase={idBase} />
            <button
              type="button"
              class="button button-ghost button-small"
              aria-label={removeLabel ? removeLabel(item, i) : `Remove ${named}`}
              onClick={() => onRemove(i)}
            >
              Remove
            </button>
          </>
        );
        return (
          // Items are edited in place and have no identity of their own but their place.
          <li key={`${i}`} class={itemClass} {...drag.item}>
            {flat ? row : <div class="sortable-head">{row}</div>}
            {body?.(item, i)}
          </li>
        );
      })}
    </ol>
  );
}

/** Move up / move down for an item of a list: the keyboard's way to reorder (drag is the mouse's). */
function MoveButtons({
  index,
  count,
  what,
  onMove,
  idBase,
}: {
  index: number;
  count: number;
  what: string;
  onMove: (from: number, to: number) => void;
  /** Focus follows the item: its buttons get ids `${idBase}-${index}-up|down`. */
  idBase: string;
}) {
  const go = (to: number, dir: "up" | "down") => {
    onMove(index, to);
    // After the render, focus the same button on the item at its new place (or the other one at an end).
    requestAnimationFrame(() => {
      const same = document.getElementById(`${idBase}-${to}-${dir}`) as HTMLButtonElement | null;
      const other = document.getElementById(`${idBase}-${to}-${dir === "up" ? "down" : "up"}`);
      (same && !same.disabled ? same : other)?.focus();
    });
  };
  return (
    <span class="move">
      <button
        type="button"
        id={`${idBase}-${index}-up`}
        class="button button-ghost button-icon"
        disabled={index === 0}
        aria-label={`Move ${what} up`}
        title="Move up"
        onClick={() => go(index - 1, "up")}
      >
        ↑
      </button>
      <button
        type="button"
        id={`${idBase}-${index}-down`}
        class="button button-ghost button-icon"
        disabled={index === count - 1}
        aria-label={`Move ${what} down`}
        title="Move down"
        onClick={() => go(index + 1, "down")}
      >
        ↓
      </button>
    </span>
  );
}

/**
 * Drag to reorder within one list: the handle starts the drag (the rest of the item stays selectable
 * text and inputs), any item of the same list is a drop target.
 */
function dragHandlers(list: string, index: number, onMove: (from: number, to: number) => void) {
  const type = `application/x-leadcap-${list}`;
  return {
    item: {
      onDragOver: (e: DragEvent) => {
        if (e.dataTransfer?.types.includes(type)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }
      },
      onDrop: (e: DragEvent) => {
        const from = e.dataTransfer?.getData(type);
        if (from === undefined || from === "") return;
        e.preventDefault();
        onMove(Number(from), index);
      },
    },
    handle: {
      draggable: true,
      onDragStart: (e: DragEvent) => {
        e.dataTransfer?.setData(type, String(index));
        if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
        // Drag the whole item, not just the handle.
        const item = (e.currentTarget as HTMLElement).closest("li");
        if (item && e.dataTransfer) e.dataTransfer.setDragImage(item, 16, 16);
      },
    },
  };
}

function DragHandle(props: ReturnType<typeof dragHandlers>["handle"]) {
  return (
    <span class="drag-handle" title="Drag to reorder" aria-hidden="true" {...props}>
      ⠿
    </span>
  );
}
