import { ImagePlus } from "lucide-react";

/** Covers the page while files are dragged over it, so it is plain that a drop anywhere works. */
export function DropOverlay({ visible, label }: { visible: boolean; label: string }) {
  if (!visible) return null;
  return (
    <div
      data-testid="drop-overlay"
      className="bg-bg/85 pointer-events-none fixed inset-0 z-50 flex items-center justify-center p-6 backdrop-blur-sm"
    >
      <div className="border-accent text-accent flex w-full max-w-xl flex-col items-center gap-3 rounded-3xl border-2 border-dashed px-6 py-16 text-center">
        <ImagePlus className="size-10" aria-hidden />
        <p className="text-lg font-semibold">{label}</p>
        <p className="text-muted text-sm">JPEG, PNG or WebP</p>
      </div>
    </div>
  );
}
