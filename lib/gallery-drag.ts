// Dragging gallery tiles onto a collection: the ids travel in a type of their own, so a drop of a
// link or a file from elsewhere is not mistaken for tiles.

export const DRAG_TYPE = "application/x-reve-generation-ids";

export function setDraggedIds(data: DataTransfer, ids: string[]) {
  data.setData(DRAG_TYPE, JSON.stringify(ids));
  data.effectAllowed = "copy";
}

/** The tile ids a drop carries; empty for anything else. */
export function draggedIds(data: DataTransfer): string[] {
  try {
    const value: unknown = JSON.parse(data.getData(DRAG_TYPE) || "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}
