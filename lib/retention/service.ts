import type { Actor } from "../auth/current";
import { RequestError } from "../builds/service";
import type { PrismaClient } from "../db/client";
import { describePolicy, KEEP_FOREVER, RetentionPolicySchema, type RetentionRules } from "./policy";

export interface RetentionView extends RetentionRules {
  /** "keep 5 newest / 30 days". */
  description: string;
  updatedAt: string | null;
}

function view(p: RetentionRules & { updatedAt?: Date | null }): RetentionView {
  return { keepNewest: p.keepNewest, keepDays: p.keepDays, description: describePolicy(p), updatedAt: p.updatedAt?.toISOString() ?? null };
}

/** The team's policy; a team without one keeps everything. */
export async function getRetention(db: PrismaClient, actor: Actor): Promise<RetentionView> {
  const row = await db.retentionPolicy.findUnique({ where: { organizationId: actor.organizationId } });
  return view(row ?? KEEP_FOREVER);
}

export async function setRetention(db: PrismaClient, actor: Actor, input: unknown): Promise<RetentionView> {
  const parsed = RetentionPolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new RequestError(400, "invalid retention policy", parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })));
  }
  const data = { ...parsed.data, updatedById: actor.userId };
  const row = await db.retentionPolicy.upsert({ where: { organizationId: actor.organizationId }, create: { organizationId: actor.organizationId, ...data }, update: data });
  return view(row);
}
