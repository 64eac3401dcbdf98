import { RequestError, type BuildView } from "./service";

/**
 * The artifact a download asks for, by exact name among the build's recorded
 * ones: 404 when the build never had it, 410 when retention removed its file
 * (the row stays, so the answer can say when and why).
 */
export function downloadableArtifact(build: BuildView, name: string): BuildView["artifacts"][number] {
  const artifact = build.artifacts.find((a) => a.name === name);
  if (!artifact) throw new RequestError(404, "no such artifact");
  if (artifact.removedAt) {
    throw new RequestError(410, `${artifact.name} is gone. ${build.artifactsPurged?.notice ?? "Its file was removed by the team's retention policy."}`);
  }
  return artifact;
}
