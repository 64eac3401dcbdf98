import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { BootTestDetail } from "@/components/BootTestDetail";
import { shortId } from "@/components/format";
import { currentActor } from "@/lib/auth/current";
import { getBootTest } from "@/lib/boot/service";
import { RequestError } from "@/lib/builds/service";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

const loadBootTest = cache(async (id: string) => {
  try {
    return await getBootTest(db(), await currentActor(), id);
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return null;
    throw err;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await loadBootTest((await params).id);
  return { title: t ? `Boot test ${shortId(t.id)} (${t.status})` : "Boot test not found" };
}

export default async function BootTestPage({ params }: Props) {
  const t = await loadBootTest((await params).id);
  if (!t) notFound();
  return <BootTestDetail initial={t} />;
}
