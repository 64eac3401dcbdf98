/**
 * A small reader of prisma/schema.prisma: models, enums, fields and the
 * attributes that decide the database's shape. It reads the subset of the
 * Prisma schema language kbuild's schema uses (and says so when it meets
 * something else), so that a test can compare the schema with what the
 * hand-written migrations produce.
 */

export interface PrismaAttribute {
  /** Without the `@`/`@@`: "id", "default", "relation", "db.Text", ... */
  name: string;
  /** The text between the parentheses, as written; null without parentheses. */
  args: string | null;
}

export interface PrismaField {
  name: string;
  /** The type name without `?` or `[]`: "String", "DateTime", "BuildStatus", "User", ... */
  type: string;
  optional: boolean;
  list: boolean;
  attributes: PrismaAttribute[];
}

export interface IndexField {
  name: string;
  sort: "Asc" | "Desc";
  /** An operator class other than the column type's default, e.g. gin_trgm_ops from `ops: raw("gin_trgm_ops")`. */
  ops?: string;
}

export interface PrismaModel {
  name: string;
  fields: PrismaField[];
  /** `@@id`, `@@unique`, `@@index`, `@@map`, ... */
  blockAttributes: PrismaAttribute[];
}

export interface PrismaEnum {
  name: string;
  values: string[];
}

export interface PrismaSchema {
  models: PrismaModel[];
  enums: PrismaEnum[];
}

export const SCALAR_TYPES = ["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"] as const;

/** Removes `//` and `///` comments, leaving string literals alone. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && inString) i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === "/" && line[i + 1] === "/") return line.slice(0, i);
  }
  return line;
}

/** `@id @default(uuid()) @relation(fields: [a], references: [b])` → attributes (balanced parentheses, strings respected). */
export function parseAttributes(text: string, prefix: "@" | "@@"): PrismaAttribute[] {
  const attributes: PrismaAttribute[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (!text.startsWith(prefix, i) || (prefix === "@" && text.startsWith("@@", i))) {
      throw new Error(`schema.prisma: expected a ${prefix} attribute at ${JSON.stringify(text.slice(i))}`);
    }
    i += prefix.length;
    const name = /^[A-Za-z_][\w.]*/.exec(text.slice(i))?.[0];
    if (!name) throw new Error(`schema.prisma: attribute without a name at ${JSON.stringify(text.slice(i - prefix.length))}`);
    i += name.length;
    let args: string | null = null;
    if (text[i] === "(") {
      let depth = 0;
      let inString = false;
      const start = i + 1;
      for (; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === "\\") i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) break;
      }
      if (depth !== 0) throw new Error(`schema.prisma: unbalanced parentheses in @${name}`);
      args = text.slice(start, i).trim();
      i++;
    }
    attributes.push({ name, args });
  }
  return attributes;
}

export function parsePrismaSchema(text: string): PrismaSchema {
  const models: PrismaModel[] = [];
  const enums: PrismaEnum[] = [];
  let block: { kind: "model"; model: PrismaModel } | { kind: "enum"; value: PrismaEnum } | { kind: "other" } | null = null;

  for (const [index, raw] of text.split("\n").entries()) {
    const line = stripComment(raw).trim();
    const where = `schema.prisma:${index + 1}`;
    if (!line) continue;
    if (block === null) {
      const open = /^(model|enum|generator|datasource|view|type)\s+(\w+)\s*\{$/.exec(line);
      if (!open) throw new Error(`${where}: expected a block, got ${JSON.stringify(line)}`);
      const [, keyword, name] = open as unknown as [string, string, string];
      if (keyword === "model") {
        const model: PrismaModel = { name, fields: [], blockAttributes: [] };
        models.push(model);
        block = { kind: "model", model };
      } else if (keyword === "enum") {
        const value: PrismaEnum = { name, values: [] };
        enums.push(value);
        block = { kind: "enum", value };
      } else if (keyword === "generator" || keyword === "datasource") {
        block = { kind: "other" };
      } else {
        throw new Error(`${where}: this reader does not handle ${keyword} blocks`);
      }
      continue;
    }
    if (line === "}") {
      block = null;
      continue;
    }
    if (block.kind === "other") continue;
    if (block.kind === "enum") {
      const m = /^(\w+)(\s+@.*)?$/.exec(line);
      if (!m) throw new Error(`${where}: expected an enum value, got ${JSON.stringify(line)}`);
      if (m[2] && parseAttributes(m[2], "@").some((a) => a.name === "map")) {
        throw new Error(`${where}: this reader does not handle @map on enum values`);
      }
      block.value.values.push(m[1]!);
      continue;
    }
    if (line.startsWith("@@")) {
      block.model.blockAttributes.push(...parseAttributes(line, "@@"));
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(?:\s+(.*))?$/.exec(line);
    if (!field) throw new Error(`${where}: expected a field, got ${JSON.stringify(line)}`);
    const [, name, type, list, optional, rest] = field;
    block.model.fields.push({
      name: name!,
      type: type!,
      list: list !== undefined,
      optional: optional !== undefined,
      attributes: rest ? parseAttributes(rest, "@") : [],
    });
  }
  if (block !== null) throw new Error("schema.prisma: a block is not closed");
  return { models, enums };
}

// ---------------------------------------------------------------------------
// Helpers for reading attribute arguments.
// ---------------------------------------------------------------------------

export function attribute(attrs: PrismaAttribute[], name: string): PrismaAttribute | undefined {
  return attrs.find((a) => a.name === name);
}

/** Splits `a, b(c, d), "e,f"` at top-level commas. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** The positional argument and the named ones (`fields: [a]`, `onDelete: Cascade`) of an attribute. */
export function attributeArguments(args: string | null): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (const part of splitTopLevel(args ?? "")) {
    const m = /^(\w+)\s*:\s*([\s\S]*)$/.exec(part);
    if (m) named[m[1]!] = m[2]!.trim();
    else positional.push(part);
  }
  return { positional, named };
}

/** `[a, createdAt(sort: Desc)]` → fields with their sort order. */
export function parseFieldList(text: string): IndexField[] {
  const inner = /^\[([\s\S]*)\]$/.exec(text.trim());
  if (!inner) throw new Error(`schema.prisma: expected a [field, ...] list, got ${text}`);
  return splitTopLevel(inner[1]!).map((item) => {
    const m = /^(\w+)(?:\((.*)\))?$/.exec(item);
    if (!m) throw new Error(`schema.prisma: cannot read index field ${item}`);
    const named = m[2] ? attributeArguments(m[2]).named : {};
    const unknown = Object.keys(named).filter((k) => k !== "sort" && k !== "ops");
    if (unknown.length) throw new Error(`schema.prisma: this reader only handles sort: and ops: on index fields, got ${item}`);
    const ops = named.ops === undefined ? undefined : /^raw\("(\w+)"\)$/.exec(named.ops)?.[1];
    if (named.ops !== undefined && !ops) throw new Error(`schema.prisma: this reader only handles ops: raw("name"), got ${item}`);
    return { name: m[1]!, sort: named.sort === "Desc" ? "Desc" : "Asc", ...(ops ? { ops } : {}) };
  });
}

/** The fields of a block attribute such as `@@id([a, b])` or `@@index(fields: [a], name: "x")`. */
export function blockAttributeFields(attr: PrismaAttribute): IndexField[] {
  const { positional, named } = attributeArguments(attr.args);
  const list = named.fields ?? positional[0];
  if (!list) throw new Error(`schema.prisma: @@${attr.name} without fields`);
  return parseFieldList(list);
}

/** A relation field's foreign key, or null for the side that holds no key (a list or a back-relation). */
export function relationOf(field: PrismaField): { fields: string[]; references: string[]; onDelete?: string; onUpdate?: string } | null {
  const rel = attribute(field.attributes, "relation");
  if (!rel) return null;
  const { named } = attributeArguments(rel.args);
  if (!named.fields) return null;
  if (!named.references) throw new Error(`schema.prisma: @relation with fields but no references on ${field.name}`);
  return {
    fields: parseFieldList(named.fields).map((f) => f.name),
    references: parseFieldList(named.references).map((f) => f.name),
    onDelete: named.onDelete,
    onUpdate: named.onUpdate,
  };
}
