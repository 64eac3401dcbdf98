import { expect, test } from "@playwright/test";
import { createDb } from "../lib/db/client";
import { createLoggedBuild, kernelBuildSteps } from "../test/logged-build";
import { E2E_ENV } from "./env";

/**
 * A kernel build whose outputs the retention policy removed: the page lists
 * them as removed and offers nothing that needs them (a boot test of its
 * bzImage and .ko files, a module build against its module kit), while a
 * build that still has them offers both. The two builds are records as a
 * worker would have left them (their files are not needed: nothing here runs).
 */
const OUTPUTS = ["bzImage", "rust_minimal.ko", "module-kit.tar.xz"];

let kept: string;
let purged: string;

test.beforeAll(async () => {
  const db = createDb(E2E_ENV.DATABASE_URL);
  try {
    const source = await db.kernelSource.findFirst({ orderBy: { name: "asc" } });
    if (!source) throw new Error("no kernel source registered in the end-to-end database");
    const steps = kernelBuildSteps().map((s) => ({ name: s.name, status: "succeeded" as const, lines: s.lines, durationMs: 1_000 }));
    const make = async (removedAt: Date | null) => {
      const { buildId } = await createLoggedBuild(db, { sourceId: source.id, prefix: E2E_ENV.KBUILD_PREFIX!, status: "succeeded", steps });
      await db.artifact.createMany({
        data: [".config", ...OUTPUTS].map((name) => ({
          buildId,
          name,
          size: 1,
          sha256: "0".repeat(64),
          contentType: "application/octet-stream",
          storageKey: `builds/${buildId}/${name}`,
          removedAt: name === ".config" ? null : removedAt,
        })),
      });
      return buildId;
    };
    kept = await make(null);
    purged = await make(new Date());
  } finally {
    await db.$disconnect();
  }
});

test("a build whose outputs retention removed says so and offers no boot test or module build", async ({ page }) => {
  await page.goto(`/builds/${kept}`);
  await expect(page.getByTestId("boot-tests")).toBeVisible();
  await expect(page.getByTestId("boot-tests")).toContainText("rust_minimal.ko");
  await expect(page.getByTestId("build-module")).toBeVisible();

  await page.goto(`/builds/${purged}`);
  for (const name of OUTPUTS) await expect(page.getByTestId(`artifact-removed-${name}`)).toBeVisible();
  await expect(page.getByTestId("build-status")).toHaveText("succeeded");
  await expect(page.getByTestId("boot-tests")).toHaveCount(0);
  await expect(page.getByTestId("build-module")).toHaveCount(0);
});
