/** Escapes LIKE/ILIKE wildcards (`%`, `_`) and the escape character, so a search matches its text literally. */
export function escapeLike(value: string) {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
