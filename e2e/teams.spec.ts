import { type Browser, type Page, expect, test } from "@playwright/test";
import { E2E_FIRST_USER } from "./env";
import { submitRustBuild } from "./new-build";

/**
 * A team's life: its founder creates it and invites a member and a viewer by
 * link; both sign up from the link; the member submits a configure-only
 * build; the viewer sees it but can neither submit nor cancel, in the pages
 * and at the API.
 *
 * The founder is the suite's first user, signed in anew in a fresh browser
 * context: a new session, so switching it to the new team leaves the session
 * the other specs share in the default team.
 */
const run = Date.now().toString(36);
const member = { name: "Mia Member", email: `member-${run}@e2e.kbuild.local`, password: "member-password-1" };
const viewer = { name: "Vic Viewer", email: `viewer-${run}@e2e.kbuild.local`, password: "viewer-password-1" };
const teamName = `Rust drivers ${run}`;

async function freshPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return context.newPage();
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByTestId("auth-email").fill(who.email);
  await page.getByTestId("auth-password").fill(who.password);
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("nav-user")).toBeVisible();
}

async function invite(page: Page, email: string, role: string): Promise<string> {
  await page.getByTestId("invite-email").fill(email);
  await page.getByTestId("invite-role").selectOption(role);
  await page.getByTestId("invite-submit").click();
  const link = (await page.getByTestId("invite-link").textContent())!;
  expect(link).toMatch(/\/invite\/[\w-]+$/);
  return new URL(link).pathname;
}

/** Opens the invitation signed out, signs up with the invited address from it, and joins. */
async function acceptBySigningUp(page: Page, path: string, who: { name: string; email: string; password: string }) {
  await page.goto(path);
  await page.getByTestId("invitation-sign-up").click();
  await expect(page.getByTestId("auth-email")).toHaveValue(who.email);
  await page.getByTestId("auth-name").fill(who.name);
  await page.getByTestId("auth-password").fill(who.password);
  await page.getByTestId("auth-submit").click();
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  await page.getByTestId("accept-invitation").click();
  await expect(page.getByRole("heading", { name: "Builds" })).toBeVisible();
  await expect(page.getByTestId("team-switcher").locator("option:checked")).toHaveText(teamName);
}

test("a team invites a member who builds and a viewer who can only look", async ({ browser }) => {
  const founder = await freshPage(browser);
  await signIn(founder, E2E_FIRST_USER);
  await founder.getByTestId("team-switcher").selectOption("__new__");
  await founder.getByTestId("team-name").fill(teamName);
  await founder.getByTestId("create-team").click();
  await expect(founder.getByTestId("team-title")).toHaveText(teamName);
  await expect(founder.getByTestId("my-role")).toHaveText("owner");

  const memberLink = await invite(founder, member.email, "member");
  const viewerLink = await invite(founder, viewer.email, "viewer");
  await founder.reload();
  await expect(founder.getByTestId(`invitation-${member.email}`)).toBeVisible();
  await expect(founder.getByTestId(`invitation-${viewer.email}`)).toBeVisible();

  const memberPage = await freshPage(browser);
  await acceptBySigningUp(memberPage, memberLink, member);
  const viewerPage = await freshPage(browser);
  await acceptBySigningUp(viewerPage, viewerLink, viewer);

  // A used link says so, and says nothing else.
  await viewerPage.goto(viewerLink);
  await expect(viewerPage.getByTestId("invitation-invalid")).toBeVisible();

  await founder.reload();
  await expect(founder.getByTestId("no-invitations")).toBeVisible();
  await expect(founder.getByTestId(`member-${viewer.email}`)).toContainText("viewer");

  // The member submits a configure-only build in the new team.
  const buildId = await submitRustBuild(memberPage, { extraOptions: ["CONFIG_64BIT=y"], targets: [] });

  // The viewer sees it in the team's list and on its page, with no cancel button.
  await viewerPage.goto("/");
  await expect(viewerPage.getByTestId(`build-row-${buildId}`)).toBeVisible();
  await viewerPage.goto(`/builds/${buildId}`);
  await expect(viewerPage.getByTestId("build-status")).toBeVisible();
  await expect(viewerPage.getByTestId("cancel-build")).toHaveCount(0);
  await viewerPage.goto("/builds/new");
  await expect(viewerPage.getByTestId("viewer-cannot-submit")).toBeVisible();
  await expect(viewerPage.getByTestId("submit-build")).toBeDisabled();

  // The API refuses the viewer too.
  const submit = await viewerPage.request.post("/api/v1/builds", { data: { source: "linux-6.1", profile: "debian-bookworm-llvm14", baseConfig: { kind: "target", target: "tinyconfig" } } });
  expect(submit.status()).toBe(403);
  const cancel = await viewerPage.request.post(`/api/v1/builds/${buildId}/cancel`);
  expect(cancel.status()).toBe(403);
  expect((await viewerPage.request.get(`/api/v1/builds/${buildId}`)).status()).toBe(200);

  // The default team's session (the other specs') does not see the new team's build.
  const other = await browser.newContext();
  expect((await other.request.get(`/api/v1/builds/${buildId}`)).status()).toBe(404);
  await other.close();

  // The member may cancel what the viewer may not (and the worker is free again for the other specs).
  await memberPage.getByTestId("cancel-build").click();
  await expect(memberPage.getByTestId("build-status")).toHaveText(/canceled|succeeded/);
});

test("bad sign-ups and sign-ins get a clear error", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.goto("/sign-up");
  // An address that already has an account.
  await page.getByTestId("auth-email").fill(E2E_FIRST_USER.email);
  await page.getByTestId("auth-password").fill("another-password-1");
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("auth-error")).toHaveText(/already exists/);
  // A password that is too short.
  await page.getByTestId("auth-email").fill(`short-${run}@e2e.kbuild.local`);
  await page.getByTestId("auth-password").fill("short");
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("auth-error")).toHaveText(/too short/);
  // A wrong password says no more than that.
  await page.goto("/sign-in");
  await page.getByTestId("auth-email").fill(E2E_FIRST_USER.email);
  await page.getByTestId("auth-password").fill("not-the-password");
  await page.getByTestId("auth-submit").click();
  await expect(page.getByTestId("auth-error")).toHaveText("Wrong email or password.");
  // A tampered session cookie is no session: pages send to sign-in, the API answers 401.
  await page.context().addCookies([{ name: "better-auth.session_token", value: "forged.c2lnbmF0dXJl", url: page.url() }]);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.request.get("/api/v1/builds")).status()).toBe(401);
});
