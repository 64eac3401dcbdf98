import type { SerializedModel } from "../engine/serialize";
import type { ConfiguratorModel, ConfiguratorOutline, ModelOutline } from "./types";

/** The outline of a serialized model: what the configurator page renders and searches. */
export function outlineOf(model: SerializedModel): ModelOutline {
  const prompts = new Set(model.menus.flatMap((m) => (m.p === undefined ? [] : [m.p])));
  return {
    menus: model.menus.map(({ s, p, up, l, x, h }) => ({ s, p, up, l, x, h })),
    props: model.props.map((p, i) => (prompts.has(i) ? { t: p.t, ...(p.x !== undefined ? { x: p.x } : {}) } : null)),
    symbols: model.symbols.map(({ n, t, f, m }) => ({ n, t, f, m })),
  };
}

export function configuratorOutline({ model, ...rest }: ConfiguratorModel): ConfiguratorOutline {
  return { ...rest, outline: outlineOf(model) };
}
