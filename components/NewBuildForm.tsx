"use client";

import { useRouter } from "next/navigation";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { listProfiles, listSources } from "@/lib/builds/service";
import { type BuildSpec, MAX_JOBS, MAX_UPLOADED_CONFIG_BYTES } from "@/lib/builds/spec";
import { TargetPicker } from "./TargetPicker";
import { formPatch, takeHandoff } from "./configurator/handoff";
import { buildsPreset, presetFormState } from "./presetForm";
import { useUploadCheck } from "./configurator/useUploadCheck";
import {
  type BaseTarget,
  DEFAULT_TARGETS,
  type FormState,
  type SampleValue,
  type TargetInfo,
  allowedValues,
  deriveRequest,
  normalizeRustSamples,
  selectedWithDependencies,
} from "./buildRequest";

type SourceInfo = Awaited<ReturnType<typeof listSources>>[number];
type ProfileInfo = Awaited<ReturnType<typeof listProfiles>>[number];

interface ServerError {
  error: string;
  issues?: { path: string; message: string }[];
}

const BASES: { target: BaseTarget; title: string; hint: string }[] = [
  { target: "tinyconfig", title: "tinyconfig", hint: "smallest possible kernel; fastest" },
  { target: "defconfig", title: "defconfig", hint: "the architecture's default configuration" },
  { target: "allnoconfig", title: "allnoconfig", hint: "every option that can be off is off" },
];

function firstProfileFor(source: SourceInfo | undefined, profiles: ProfileInfo[]): string {
  const clean = profiles.find((p) => !(source?.profileWarnings[p.id]?.length ?? 0));
  return (clean ?? profiles[0])?.id ?? "";
}

/** A team preset the form starts from (see presetForm.ts). */
export interface StartingPreset {
  id: string;
  name: string;
  spec: BuildSpec;
}

/** `canSubmit`: false for a viewer, who may look at the form but not start a build (the API refuses it too). */
export function NewBuildForm({ sources, profiles, targets, preset, canSubmit = true }: { sources: SourceInfo[]; profiles: ProfileInfo[]; targets: TargetInfo[]; preset?: StartingPreset; canSubmit?: boolean }) {
  const router = useRouter();
  const firstReady = sources.find((s) => s.status === "ready");
  const [state, setState] = useState<FormState>(() => ({
    source: firstReady?.name ?? "",
    profile: firstProfileFor(firstReady, profiles),
    base: "defconfig",
    upload: null,
    rust: true,
    samples: {},
    extraText: "",
    jobs: "2",
    targets: selectedWithDependencies(targets, DEFAULT_TARGETS),
    ...(preset ? presetFormState(preset.spec, normalizeRustSamples(sources.find((s) => s.name === preset.spec.source)?.rustSamples), targets) : {}),
  }));
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [serverError, setServerError] = useState<ServerError | null>(null);

  const update = (patch: Partial<FormState>) => setState((s) => ({ ...s, ...patch }));
  const [imported, setImported] = useState<number | null>(null);

  // Options chosen in the configurator arrive through session storage (see configurator/handoff.ts).
  useEffect(() => {
    if (!new URLSearchParams(window.location.search).has("from")) return;
    const handoff = takeHandoff();
    if (!handoff) return;
    const target = sources.find((s) => s.name === handoff.source);
    setState((s) => ({ ...s, ...formPatch(handoff, normalizeRustSamples(target?.rustSamples)) }));
    setImported(handoff.options.length);
  }, [sources]);

  const source = sources.find((s) => s.name === state.source);
  const profile = profiles.find((p) => p.id === state.profile);
  const rustSamples = useMemo(() => normalizeRustSamples(source?.rustSamples), [source]);
  const derived = useMemo(() => deriveRequest(state, rustSamples, targets), [state, rustSamples, targets]);
  const warnings = (source && state.profile && source.profileWarnings[state.profile]) || [];
  const anySample = rustSamples.samples.some((s) => (state.samples[s.symbol] ?? "n") !== "n");
  const uploadCheck = useUploadCheck(state.source, state.profile, state.base === "upload" ? (state.upload?.text ?? null) : null);
  const blocked = !derived.body || !!uploadError || submitting || source?.status !== "ready";
  // Unchanged, the form builds the preset itself: submitted as a build of it, its warnings compare with the preset's previous build.
  const ofPreset = preset && derived.body && buildsPreset(derived.body, preset.spec) ? preset : null;

  async function onFile(file: File | undefined) {
    setUploadError(null);
    update({ upload: null });
    if (!file) return;
    if (file.size > MAX_UPLOADED_CONFIG_BYTES) {
      setUploadError(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; an uploaded .config may be at most ${MAX_UPLOADED_CONFIG_BYTES / 1024} KiB`);
      return;
    }
    const text = await file.text();
    if (text.includes("\u0000")) {
      setUploadError(`${file.name} is not a text file`);
      return;
    }
    update({ upload: { fileName: file.name, text } });
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (blocked || !derived.body) return;
    setSubmitting(true);
    setServerError(null);
    try {
      const res = ofPreset
        ? await fetch(`/api/v1/presets/${ofPreset.id}/builds`, { method: "POST", headers: { Accept: "application/json" } })
        : await fetch("/api/v1/builds", {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(derived.body),
          });
      const payload = (await res.json().catch(() => null)) as ({ id?: string } & Partial<ServerError>) | null;
      if (res.status === 201 && payload?.id) {
        router.push(`/builds/${payload.id}`);
        return; // keep the button disabled while navigating
      }
      const error = payload?.error ?? `the server answered ${res.status} ${res.statusText}`;
      // Some errors repeat their one issue as the message; show it once.
      setServerError({ error, issues: payload?.issues?.filter((i) => i.message !== error) });
    } catch (err) {
      setServerError({ error: `could not reach the server: ${(err as Error).message}` });
    }
    setSubmitting(false);
  }

  const describeIssuePath = (path: string) => {
    const m = /^options\.(\d+)/.exec(path);
    const opt = m ? derived.body?.options[Number(m[1])] : undefined;
    return opt ? `CONFIG_${opt.symbol}` : path;
  };

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {preset && (
        <div className="rounded border border-sky-300 bg-sky-50 p-3 text-sky-900" data-testid="preset-start">
          Started from preset <strong>{preset.name}</strong>:{" "}
          {ofPreset ? "unchanged, this builds the preset." : "changed, this builds a configuration of its own (the preset stays as it was)."}
        </div>
      )}
      {imported !== null && (
        <div className="rounded border border-sky-300 bg-sky-50 p-3 text-sky-900" data-testid="configurator-imported">
          {imported} option{imported === 1 ? "" : "s"} from the configurator are below (Rust section and extra options).
        </div>
      )}
      {/* Source and toolchain */}
      <Section title="Kernel source and toolchain">
        {sources.length === 0 ? (
          <div className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="sources-empty">
            No kernel sources registered yet — the worker registers them at start. Start a worker (<code className="font-mono">npm run start:worker</code>)
            and reload this page.
          </div>
        ) : (
          <div className="grid gap-4 md:grid-cols-2">
            <label className="block">
              <span className="mb-1 block text-xs font-medium text-zinc-600">Kernel source</span>
              <select
                data-testid="source-select"
                className={inputCls}
                value={state.source}
                onChange={(e) => {
                  const next = sources.find((s) => s.name === e.target.value);
                  update({ source: e.target.value, profile: firstProfileFor(next, profiles), samples: {} });
                }}
              >
                {!firstReady && <option value="">— no source is ready —</option>}
                {sources.map((s) => (
                  <option key={s.name} value={s.name} disabled={s.status !== "ready"}>
                    {s.name}
                    {s.version ? ` — ${s.version}` : ""}
                    {s.status !== "ready" ? ` (${s.status})` : ""}
                  </option>
                ))}
              </select>
              <SourceNotes sources={sources} />
            </label>

            <label className="block">
              <span className="mb-1 block text-xs font-medium text-zinc-600">Toolchain profile</span>
              <select data-testid="profile-select" className={inputCls} value={state.profile} onChange={(e) => update({ profile: e.target.value })}>
                {profiles.length === 0 && <option value="">— no toolchain profiles —</option>}
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
              {profile && (
                <span className="mt-1 block text-xs text-zinc-500">
                  <span className="font-mono">{profile.id}</span> · LLVM {profile.versions.llvm} · rustc {profile.versions.rustc} · bindgen{" "}
                  {profile.versions.bindgen}
                  {profile.description && <span className="block">{profile.description}</span>}
                </span>
              )}
            </label>
          </div>
        )}
        {warnings.length > 0 && (
          <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="profile-warnings" role="alert">
            <div className="font-medium">
              {profile?.title ?? state.profile} may not build {source?.name}
              {source?.version ? ` (${source.version})` : ""} with Rust:
            </div>
            <ul className="mt-1 list-disc pl-5">
              {warnings.map((w) => (
                <li key={w.tool}>{w.message}</li>
              ))}
            </ul>
          </div>
        )}
      </Section>

      {/* Base config */}
      <Section title="Base configuration">
        <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
          {BASES.map((b) => (
            <RadioCard key={b.target} checked={state.base === b.target} onChange={() => update({ base: b.target })} testId={`base-${b.target}`} title={b.title} hint={b.hint} />
          ))}
          <RadioCard checked={state.base === "upload"} onChange={() => update({ base: "upload" })} testId="base-upload" title="Upload .config" hint="start from your own .config (≤ 1 MiB)" />
        </div>
        {state.base === "upload" && (
          <div className="mt-3">
            <input
              type="file"
              data-testid="base-upload-file"
              className="block text-sm file:mr-3 file:rounded file:border file:border-zinc-300 file:bg-white file:px-2 file:py-1 file:text-sm"
              onChange={(e) => void onFile(e.target.files?.[0])}
            />
            {state.upload && (
              <p className="mt-1 text-xs text-zinc-600">
                {state.upload.fileName}: {state.upload.text.split("\n").filter((l) => l.startsWith("CONFIG_")).length} options set
              </p>
            )}
            {uploadError && <p className="mt-1 text-xs text-red-700" data-testid="upload-error">{uploadError}</p>}
            {uploadCheck.status === "checking" && <p className="mt-1 text-xs text-zinc-500" data-testid="upload-checking">{uploadCheck.message}</p>}
            {uploadCheck.status === "done" && uploadCheck.warnings.length > 0 && (
              <div className="mt-2 rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900" data-testid="upload-warnings">
                <div className="font-medium">
                  {uploadCheck.warnings.length} line{uploadCheck.warnings.length === 1 ? "" : "s"} of {state.upload?.fileName} will be ignored by the kernel&apos;s tools:
                </div>
                <ul className="mt-1 max-h-40 space-y-0.5 overflow-auto font-mono">
                  {uploadCheck.warnings.slice(0, 200).map((w) => (
                    <li key={w.line} data-testid="upload-warning">
                      line {w.line}: {w.message}
                      <span className="text-amber-700"> — {w.text.slice(0, 120)}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {uploadCheck.status === "done" && uploadCheck.warnings.length === 0 && (
              <p className="mt-1 text-xs text-emerald-800" data-testid="upload-clean">every line is a valid assignment for {state.source}</p>
            )}
          </div>
        )}
      </Section>

      {/* Rust */}
      <Section title="Rust">
        <label className="inline-flex cursor-pointer items-center gap-2">
          <input
            type="checkbox"
            data-testid="rust-toggle"
            className="h-4 w-4 accent-emerald-700"
            checked={state.rust || anySample}
            onChange={(e) => update(e.target.checked ? { rust: true } : { rust: false, samples: {} })}
          />
          <span className="font-medium">Rust support</span>
          <span className="font-mono text-xs text-zinc-500">CONFIG_RUST=y</span>
        </label>

        {source && rustSamples.samples.length > 0 && (
          <div className="mt-3">
            <div className="mb-1 text-xs font-medium text-zinc-600">Rust samples in {source.name}</div>
            <div className="grid gap-x-6 gap-y-1.5 md:grid-cols-2">
              {rustSamples.samples.map((s) => (
                <label key={s.symbol} className="flex items-center gap-2">
                  <select
                    data-testid={`sample-${s.symbol}`}
                    className="rounded border border-zinc-300 bg-white px-1 py-0.5 font-mono text-xs"
                    value={state.samples[s.symbol] ?? "n"}
                    onChange={(e) => {
                      const v = e.target.value as SampleValue;
                      setState((st) => ({ ...st, rust: v !== "n" ? true : st.rust, samples: { ...st.samples, [s.symbol]: v } }));
                    }}
                  >
                    {allowedValues(s.type).map((v) => (
                      <option key={v} value={v}>
                        {v}
                      </option>
                    ))}
                  </select>
                  <span className="min-w-0">
                    <span className="block truncate">{s.prompt ?? s.symbol}</span>
                    <span className="block font-mono text-[11px] text-zinc-500">
                      CONFIG_{s.symbol} · {s.type}
                    </span>
                  </span>
                </label>
              ))}
            </div>
            {rustSamples.enable.length > 0 && (
              <p className={`mt-2 text-xs ${anySample ? "text-sky-800" : "text-zinc-500"}`} data-testid="samples-enable-note">
                Enabling any sample also sets {["RUST", ...rustSamples.enable.filter((e) => e !== "RUST")].map((e) => `CONFIG_${e}=y`).join(", ")}.
              </p>
            )}
          </div>
        )}
        {source && source.status === "ready" && rustSamples.samples.length === 0 && (
          <p className="mt-2 text-xs text-zinc-500">{source.name} has no Rust samples (samples/rust/Kconfig).</p>
        )}
      </Section>

      {/* Extra options */}
      <Section title="Extra options">
        {source?.status === "ready" && (
          <p className="mb-2 text-xs text-zinc-600">
            Browse every option of {source.name}, see why one cannot be set and what a change does:{" "}
            <Link
              className="font-medium text-sky-700 hover:underline"
              data-testid="open-configurator"
              href={`/sources/${encodeURIComponent(source.name)}/configure?profile=${encodeURIComponent(state.profile)}${state.base !== "upload" ? `&base=${state.base}` : ""}`}
            >
              open the configurator
            </Link>
          </p>
        )}
        <textarea
          data-testid="extra-options"
          className={`${inputCls} h-32 font-mono text-xs`}
          spellCheck={false}
          placeholder={"CONFIG_DEBUG_INFO=n\nCONFIG_NR_CPUS=8\n# CONFIG_MODULES is not set"}
          value={state.extraText}
          onChange={(e) => update({ extraText: e.target.value })}
          aria-invalid={derived.extraErrors.length > 0}
        />
        <p className="mt-1 text-xs text-zinc-500">
          One <span className="font-mono">CONFIG_NAME=value</span> per line (y, m, n, a number, 0x-hex or a &quot;quoted string&quot;), or{" "}
          <span className="font-mono"># CONFIG_NAME is not set</span>.
        </p>
        {derived.extraErrors.length > 0 && (
          <ul className="mt-2 space-y-0.5 rounded border border-red-200 bg-red-50 p-2 text-xs text-red-800" data-testid="extra-options-errors">
            {derived.extraErrors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        )}
      </Section>

      {/* Targets */}
      <Section title="Targets">
        <TargetPicker catalogue={targets} selected={state.targets} onChange={(next) => update({ targets: next })} />
        {derived.targetWarnings.length > 0 && (
          <ul className="mt-3 list-disc space-y-0.5 rounded border border-amber-300 bg-amber-50 py-2 pr-2 pl-6 text-xs text-amber-900" data-testid="target-warnings">
            {derived.targetWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        )}
      </Section>

      {/* Build settings */}
      <Section title="Build">
        <div className="flex flex-wrap items-end gap-6">
          <label className="block">
            <span className="mb-1 block text-xs font-medium text-zinc-600">Parallel jobs (make -j)</span>
            <input
              type="number"
              data-testid="jobs"
              min={1}
              max={MAX_JOBS}
              step={1}
              className={`${inputCls} w-24`}
              value={state.jobs}
              onChange={(e) => update({ jobs: e.target.value })}
              aria-invalid={!!derived.jobsError}
            />
          </label>
          <div>
            <span className="mb-1 block text-xs font-medium text-zinc-600">Architecture</span>
            <span className="inline-block rounded border border-zinc-200 bg-zinc-50 px-2 py-1 font-mono text-xs">x86_64</span>
          </div>
        </div>
        {derived.jobsError && <p className="mt-1 text-xs text-red-700">{derived.jobsError}</p>}
      </Section>

      {/* Summary and submit */}
      <div className="rounded-md border border-zinc-200 bg-white p-4">
        <div className="mb-3 text-xs" data-testid="targets-summary">
          <span className="font-medium text-zinc-600">Builds: </span>
          {derived.targets.length ? (
            <span className="font-mono">{derived.targets.join(", ")}</span>
          ) : (
            <span className="text-zinc-700">nothing — configure only (resolve the .config, no compile)</span>
          )}
        </div>
        <div className="mb-2 text-xs font-medium text-zinc-600">Requested options ({derived.options.length})</div>
        {derived.options.length ? (
          <pre className="max-h-40 overflow-auto rounded bg-zinc-50 p-2 font-mono text-xs text-zinc-800" data-testid="options-preview">
            {derived.options.map((o) => (o.value === "n" ? `# CONFIG_${o.symbol} is not set` : `CONFIG_${o.symbol}=${o.value}`)).join("\n")}
          </pre>
        ) : (
          <p className="text-xs text-zinc-500">None: the base configuration is used as it is.</p>
        )}

        {serverError && (
          <div className="mt-3 rounded border border-red-300 bg-red-50 p-3 text-red-900" data-testid="form-error" role="alert">
            <div className="font-medium">The build was not submitted: {serverError.error}</div>
            {serverError.issues && serverError.issues.length > 0 && (
              <ul className="mt-1 list-disc pl-5 text-sm">
                {serverError.issues.map((i, n) => (
                  <li key={n}>
                    {i.path && <span className="font-mono">{describeIssuePath(i.path)}: </span>}
                    {i.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <div className="mt-3 flex items-center gap-3">
          <button
            type="submit"
            data-testid="submit-build"
            disabled={blocked || !canSubmit}
            title={canSubmit ? undefined : "Viewers cannot start builds: ask an admin of the team for the member role"}
            className="rounded-md bg-emerald-700 px-4 py-1.5 font-medium text-white shadow-sm hover:bg-emerald-800 disabled:cursor-not-allowed disabled:bg-zinc-300"
          >
            {submitting ? "Submitting…" : derived.targets.length ? "Start build" : "Start configure-only build"}
          </button>
          {!canSubmit && (
            <span className="text-xs text-zinc-500" data-testid="viewer-cannot-submit">
              You are a viewer in this team: you can look, not build.
            </span>
          )}
          {!submitting && derived.errors.length > 0 && sources.length > 0 && (
            <span className="text-xs text-zinc-500">{derived.errors.join("; ")}</span>
          )}
        </div>
      </div>
    </form>
  );
}

const inputCls =
  "block w-full rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-sky-500 focus:ring-1 focus:ring-sky-500 focus:outline-none aria-[invalid=true]:border-red-400";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <fieldset className="rounded-md border border-zinc-200 bg-white p-4">
      <legend className="px-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">{title}</legend>
      {children}
    </fieldset>
  );
}

function RadioCard(props: { checked: boolean; onChange: () => void; testId: string; title: string; hint: string }) {
  return (
    <label
      className={`flex cursor-pointer items-start gap-2 rounded border p-2 ${
        props.checked ? "border-sky-500 bg-sky-50 ring-1 ring-sky-500" : "border-zinc-200 hover:border-zinc-300"
      }`}
    >
      <input type="radio" name="base" className="mt-0.5 accent-sky-700" checked={props.checked} onChange={props.onChange} data-testid={props.testId} />
      <span>
        <span className="block font-mono text-xs font-medium">{props.title}</span>
        <span className="block text-xs text-zinc-500">{props.hint}</span>
      </span>
    </label>
  );
}

function SourceNotes({ sources }: { sources: SourceInfo[] }) {
  const notReady = sources.filter((s) => s.status !== "ready");
  if (!notReady.length) return null;
  return (
    <span className="mt-1 block space-y-0.5 text-xs text-zinc-500">
      {notReady.map((s) => (
        <span key={s.name} className="block">
          {s.name}: {s.status === "preparing" ? "being prepared by a worker" : "unusable"}
          {s.statusReason ? ` — ${s.statusReason}` : ""}
        </span>
      ))}
    </span>
  );
}
