"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import type { AssetDto } from "@/lib/dto";
import { checkImageFile, uploadImage, UploadError } from "@/lib/upload";

export interface UploadItem {
  key: string;
  name: string;
  status: "uploading" | "ready" | "error";
  /** 0–1 while uploading. */
  progress: number;
  /** A local object URL, shown before the server's copy exists. */
  preview?: string;
  asset?: AssetDto;
  error?: string;
}

let counter = 0;
const nextKey = () => `upload-${++counter}`;
const stored = (asset: AssetDto): UploadItem => ({
  key: asset.id,
  name: "",
  status: "ready",
  progress: 1,
  asset,
});

/**
 * A small set of images being uploaded or already stored: one for an edit (a new one replaces it),
 * up to four for a remix (more are refused with a message).
 */
export function useUploads({
  max,
  maxBytes,
  initial = [],
  refusal,
}: {
  max: number;
  maxBytes: number;
  initial?: AssetDto[];
  /** What to say when more than `max` images are added; without it a new image replaces the old. */
  refusal?: string;
}) {
  const [items, setItems] = useState<UploadItem[]>(() => initial.slice(0, max).map(stored));
  // The list is also kept in a ref so that several changes in one event see each other.
  const current = useRef(items);
  const [notice, setNotice] = useState<string>();
  const controllers = useRef(new Map<string, AbortController>());

  const commit = useCallback((next: UploadItem[]) => {
    current.current = next;
    setItems(next);
  }, []);

  useEffect(() => {
    const open = controllers.current;
    const list = current;
    return () => {
      for (const c of open.values()) c.abort();
      for (const item of list.current) if (item.preview) URL.revokeObjectURL(item.preview);
    };
  }, []);

  const update = useCallback(
    (key: string, patch: Partial<UploadItem>) =>
      commit(current.current.map((item) => (item.key === key ? { ...item, ...patch } : item))),
    [commit],
  );

  const forget = useCallback((item: UploadItem) => {
    controllers.current.get(item.key)?.abort();
    controllers.current.delete(item.key);
    if (item.preview) URL.revokeObjectURL(item.preview);
  }, []);

  const upload = useCallback(
    (item: UploadItem, file: File) => {
      const controller = new AbortController();
      controllers.current.set(item.key, controller);
      uploadImage(file, {
        signal: controller.signal,
        onProgress: (progress) => update(item.key, { progress }),
      })
        .then((asset) => update(item.key, { status: "ready", progress: 1, asset }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          update(item.key, {
            status: "error",
            error: error instanceof UploadError ? error.message : "The upload failed. Try again.",
          });
        })
        .finally(() => controllers.current.delete(item.key));
    },
    [update],
  );

  /** Starts uploading the files; returns how many were taken. */
  const add = useCallback(
    (files: File[]) => {
      setNotice(undefined);
      if (files.length === 0) return 0;
      let list = current.current;
      let incoming = files;
      if (!refusal) {
        list.forEach(forget);
        list = [];
        incoming = files.slice(-1);
      } else {
        // A failed upload leaves room for another.
        list.filter((item) => item.status === "error").forEach(forget);
        list = list.filter((item) => item.status !== "error");
        const room = Math.max(0, max - list.length);
        if (incoming.length > room) setNotice(refusal);
        incoming = incoming.slice(0, room);
      }
      const started = incoming.map((file): [UploadItem, File] => {
        const problem = checkImageFile(file, maxBytes);
        return [
          {
            key: nextKey(),
            name: file.name,
            status: problem ? "error" : "uploading",
            progress: 0,
            preview: problem ? undefined : URL.createObjectURL(file),
            error: problem,
          },
          file,
        ];
      });
      commit([...list, ...started.map(([item]) => item)]);
      for (const [item, file] of started) if (item.status === "uploading") upload(item, file);
      return started.length;
    },
    [commit, forget, max, maxBytes, refusal, upload],
  );

  const remove = useCallback(
    (key: string) => {
      setNotice(undefined);
      const gone = current.current.find((item) => item.key === key);
      if (gone) forget(gone);
      commit(current.current.filter((item) => item.key !== key));
    },
    [commit, forget],
  );

  /** Puts a stored image in place: from the gallery, or the result of an edit. */
  const putAsset = useCallback(
    (asset: AssetDto) => {
      setNotice(undefined);
      if (!refusal) {
        current.current.forEach(forget);
        commit([stored(asset)]);
        return;
      }
      const list = current.current;
      if (list.some((item) => item.asset?.id === asset.id)) return;
      if (list.length >= max) {
        setNotice(refusal);
        return;
      }
      commit([...list, stored(asset)]);
    },
    [commit, forget, max, refusal],
  );

  const ready = items.flatMap((item) => (item.status === "ready" && item.asset ? [item.asset] : []));
  const uploading = items.some((item) => item.status === "uploading");
  return { items, ready, uploading, notice, add, remove, putAsset };
}
