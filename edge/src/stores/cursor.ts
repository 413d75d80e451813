/**
 * Paging cursors, one format for every adapter (so a client never notices which store it talks to):
 * base64url JSON of the sort keys of the last row a page returned.
 */
import { InvalidCursorError } from "./errors.ts";

type Key = string | number;

export function encodeCursor(position: Key[]): string {
  return btoa(JSON.stringify(position)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The position a cursor holds, if `valid` accepts it; otherwise an InvalidCursorError. */
export function decodeCursor(cursor: string, valid: (position: Key[]) => boolean): Key[] {
  try {
    const value: unknown = JSON.parse(atob(cursor.replaceAll("-", "+").replaceAll("_", "/")));
    if (
      Array.isArray(value) &&
      value.every((v) => typeof v === "string" || typeof v === "number") &&
      valid(value)
    ) {
      return value as Key[];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError("unreadable");
}

/** A delivery list's cursor: [createdAt, id]. */
export const isTimeAndId = (position: Key[]) =>
  position.length === 2 && position.every((v) => typeof v === "string");
/** A leads list's cursor: [sort, …keys]. */
export const isSortAndKeys = (position: Key[]) => position.length >= 3 && typeof position[0] === "string";
