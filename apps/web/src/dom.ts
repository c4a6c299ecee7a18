/**
 * A tiny element builder. Text always goes in as text nodes (never innerHTML), so report names,
 * campaign names and insight text from the API can never inject markup.
 */
type Child = Node | string | number | null | undefined | false;
type AttributeValue = string | number | boolean | null | undefined;

export interface ElementOptions {
  class?: string;
  attrs?: Record<string, AttributeValue>;
  dataset?: Record<string, string>;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options?.class) element.className = options.class;
  for (const [name, value] of Object.entries(options?.attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  Object.assign(element.dataset, options?.dataset ?? {});
  for (const [type, listener] of Object.entries(options?.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A visually hidden text for screen readers (e.g. "sorted ascending"). */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { class: 'sr-only' }, text);
}
