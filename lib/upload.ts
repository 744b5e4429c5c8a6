import type { AssetDto } from "./dto";
import { formatBytes } from "./format";

// Uploads go through XMLHttpRequest rather than fetch: only XHR reports upload progress.

export const ACCEPTED_IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const ACCEPT_ATTRIBUTE = ACCEPTED_IMAGE_TYPES.join(",");

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

/** A message for a file the server would refuse anyway, so the user learns it at once. */
export function checkImageFile(file: File, maxBytes: number): string | undefined {
  // An empty type means the browser did not recognise it; the server sniffs the bytes then.
  if (file.type && !(ACCEPTED_IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `${file.name || "That file"} is not a JPEG, PNG or WebP image. Pick one of those.`;
  }
  if (file.size > maxBytes) {
    return `${file.name || "That image"} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}. Pick a smaller image.`;
  }
  if (file.size === 0) return `${file.name || "That file"} is empty.`;
  return undefined;
}

export interface UploadOptions {
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** POST /api/uploads with the file; resolves with the stored asset or rejects with an UploadError. */
export function uploadImage(file: File, { onProgress, signal }: UploadOptions = {}): Promise<AssetDto> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/uploads");
    xhr.responseType = "json";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as { asset?: AssetDto; error?: { message?: string } } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.asset) {
        onProgress?.(1);
        resolve(body.asset);
        return;
      }
      reject(new UploadError(body?.error?.message ?? messageForStatus(xhr.status), xhr.status));
    };
    xhr.onerror = () =>
      reject(new UploadError("The upload did not reach the studio. Check your connection and try again."));
    xhr.onabort = () => reject(new UploadError("Upload cancelled."));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

function messageForStatus(status: number): string {
  if (status === 413) return "That image is too big. Pick a smaller one.";
  if (status === 415) return "Only JPEG, PNG or WebP images are accepted.";
  if (status === 429) return "Too many uploads at once. Wait a moment and try again.";
  if (status === 401) return "Your session ended. Sign in again to upload.";
  return "The upload failed. Try again.";
}

/** The files in a paste or a drop (clipboards may only list them as items). */
export function filesFromTransfer(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length > 0) return files;
  return Array.from(data.items ?? [])
    .filter((item) => item.kind === "file")
    .map((item) => item.getAsFile())
    .filter((f): f is File => f !== null);
}
