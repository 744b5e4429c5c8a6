/**
 * How far an arrow key moves focus in the gallery's grid: one tile sideways, a row of the grid as
 * laid out up or down. Undefined for the other keys.
 */
export function tileStep(key: string, columns: number): number | undefined {
  return { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[key];
}

/** The tile an arrow key moves to from `index`, or null at the grid's edge (focus stays). */
export function nextTileIndex(
  key: string,
  index: number,
  columns: number,
  count: number,
): number | null | undefined {
  const step = tileStep(key, columns);
  if (step === undefined) return undefined;
  const next = index + step;
  return next >= 0 && next < count ? next : null;
}
