import type { ModuleApiFamily } from "./templates";

/**
 * Code written for another kernel's module API — the 2021 out-of-tree API of
 * the classic article above all — fails with errors that do not say so. These
 * patterns recognise it in the module's sources, so the page can name the
 * mismatch and point to the template of the chosen kernel.
 */
export interface ApiMismatch {
  file: string;
  line: number;
  found: string;
  expected: string;
}

export interface ApiHint {
  family: string;
  templateId: string;
  summary: string;
  mismatches: ApiMismatch[];
}

interface Pattern {
  re: RegExp;
  /** Only a mismatch for families spelling metadata strings this way. */
  when?: ModuleApiFamily["metadataStrings"];
  found: string;
  expected: (f: ModuleApiFamily) => string;
}

const PATTERNS: Pattern[] = [
  {
    re: /\bimpl\s+KernelModule\s+for\b/,
    found: "impl KernelModule for ... (the 2021 out-of-tree API)",
    expected: () => "impl kernel::Module for ...",
  },
  {
    re: /\bfn\s+init\s*\(\s*\)\s*->\s*Result\s*<\s*Self\s*>/,
    found: "fn init() -> Result<Self> (the 2021 out-of-tree API)",
    expected: () => "fn init(_module: &'static ThisModule) -> Result<Self>",
  },
  {
    re: /^\s*#!\[feature\(/,
    found: "#![feature(...)] in the module (the 2021 out-of-tree API)",
    expected: () => "no #![feature] line: the kernel's build enables the features modules may use",
  },
  {
    re: /^\s*#!\[no_std\]/,
    found: "#![no_std] in the module (the 2021 out-of-tree API)",
    expected: () => "no #![no_std] line: the kernel's build makes every module no_std",
  },
  {
    re: /^\s*(name|author|description|license)\s*:\s*b"/,
    when: "str",
    found: 'module! metadata as byte strings (name: b"...")',
    expected: () => 'string literals (name: "...")',
  },
  {
    re: /^\s*(name|author|description|license)\s*:\s*"/,
    when: "bytes",
    found: 'module! metadata as string literals (name: "...")',
    expected: () => 'byte strings (name: b"...")',
  },
];

/** The API mismatches in a module's Rust files for the kernel's family; null when there are none. */
export function detectApiMismatch(files: { path: string; content: string }[], family: ModuleApiFamily): ApiHint | null {
  const mismatches: ApiMismatch[] = [];
  for (const f of files.filter((f) => f.path.endsWith(".rs"))) {
    const lines = f.content.split("\n");
    let inModuleMacro = false;
    for (const [i, text] of lines.entries()) {
      if (/\bmodule!\s*\{/.test(text)) inModuleMacro = true;
      for (const p of PATTERNS) {
        if (p.when && (p.when !== family.metadataStrings || !inModuleMacro)) continue;
        if (p.re.test(text)) mismatches.push({ file: f.path, line: i + 1, found: p.found, expected: p.expected(family) });
      }
      if (inModuleMacro && /\}/.test(text)) inModuleMacro = false;
    }
  }
  if (!mismatches.length) return null;
  return {
    family: family.id,
    templateId: family.templates.find((t) => t.name === "hello-world")!.id,
    summary: `This module is written for another kernel's Rust module API; Linux ${family.checkedOn} wants: ${family.summary}`,
    mismatches,
  };
}
