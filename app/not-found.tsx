import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto mt-16 max-w-md rounded-md border border-zinc-200 bg-white p-6 text-center">
      <h1 className="text-base font-semibold">Not found</h1>
      <p className="mt-2 text-zinc-600">There is no such page or build, or it belongs to another team.</p>
      <Link href="/" className="mt-4 inline-block text-sky-700 hover:underline">
        ← All builds
      </Link>
    </div>
  );
}
