"use client";

import { useId } from "react";

import { ACCEPT_ATTRIBUTE } from "@/lib/upload";

/**
 * A file input that looks like a button: the input stays in the page (visually hidden, still
 * focusable and labelled) and the label draws its focus ring.
 */
export function FilePicker({
  label,
  onFiles,
  multiple = false,
  className,
  children,
}: {
  label: string;
  onFiles: (files: File[]) => void;
  multiple?: boolean;
  className: string;
  children?: React.ReactNode;
}) {
  const id = useId();
  return (
    <>
      <input
        id={id}
        type="file"
        accept={ACCEPT_ATTRIBUTE}
        multiple={multiple}
        aria-label={label}
        className="peer sr-only"
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Cleared so that choosing the same file again still fires a change.
          event.target.value = "";
          if (files.length > 0) onFiles(files);
        }}
      />
      <label
        htmlFor={id}
        className={`peer-focus-visible:outline-accent cursor-pointer peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 ${className}`}
      >
        {children ?? label}
      </label>
    </>
  );
}
