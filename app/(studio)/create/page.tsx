import type { Metadata } from "next";

export const metadata: Metadata = { title: "Create" };

export default function CreatePage() {
  return (
    <div className="flex flex-col gap-2">
      <h1 className="text-2xl font-semibold">Create</h1>
      <p className="text-muted">Describe an image and Reve makes it.</p>
    </div>
  );
}
