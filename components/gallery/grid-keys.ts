/**
 * Arrow keys move focus between the gallery's tiles (up and down by a row of the grid as laid out).
 * Answers the id of the tile that has focus, for the keys the grid handles itself (Space selects).
 */
export function moveBetweenTiles(event: React.KeyboardEvent<HTMLElement>): string | undefined {
  const grid = event.currentTarget;
  const tiles = [...grid.querySelectorAll<HTMLElement>("li[data-generation-id]")];
  const index = tiles.findIndex((tile) => tile.contains(document.activeElement));
  const current = tiles[index];
  if (!current) return undefined;
  const columns = Math.max(1, getComputedStyle(grid).gridTemplateColumns.split(" ").length);
  const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[event.key];
  if (step !== undefined) {
    const next = tiles[index + step];
    if (next) {
      event.preventDefault();
      next.querySelector<HTMLElement>("[data-testid=gallery-item]")?.focus();
    }
    return undefined;
  }
  return current.dataset.generationId;
}
