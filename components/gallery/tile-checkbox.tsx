"use client";

/**
 * The tick on a gallery tile: shown on hover or focus, and on every tile once one is ticked.
 * Shift-click extends the selection from the last tile ticked.
 */
export function TileCheckbox({
  prompt,
  checked,
  visible,
  onToggle,
}: {
  prompt: string;
  checked: boolean;
  visible: boolean;
  onToggle: (extend: boolean) => void;
}) {
  return (
    <input
      type="checkbox"
      data-testid="tile-checkbox"
      aria-label={`Select: ${prompt}`}
      checked={checked}
      // The change event carries no modifier keys; the click it comes from does.
      onClick={(event) => onToggle(event.shiftKey)}
      onChange={() => undefined}
      className={`accent-accent absolute top-2 left-2 z-10 size-5 cursor-pointer rounded transition group-focus-within/tile:opacity-100 group-hover/tile:opacity-100 focus-visible:opacity-100 ${visible ? "opacity-100" : "opacity-0"}`}
    />
  );
}
