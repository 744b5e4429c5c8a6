/** A thin bar over an image while it uploads. */
export function UploadProgress({ value, label }: { value: number; label: string }) {
  const percent = Math.round(value * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="bg-bg/70 absolute inset-x-0 bottom-0 h-1.5"
    >
      <div className="bg-accent h-full transition-[width]" style={{ width: `${percent}%` }} />
    </div>
  );
}
