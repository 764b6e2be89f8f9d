import { err, ok, type Result, type TaggedError } from "@ims/runtime";

/** A minimal XML element tree: enough for the Cx User-Data document (no namespaces, no DTD). */
export interface XmlElement {
  readonly name: string;
  readonly children: XmlElement[];
  text: string;
}

export type XmlError = TaggedError<"xml-malformed">;

const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${Object.keys(ENTITIES).find((k) => ENTITIES[k] === c) ?? "amp"};`);
}

function unescape(s: string): Result<string, XmlError> {
  let bad = false;
  const out = s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);|&/gi, (m, name: string | undefined) => {
    if (name === undefined) {
      bad = true;
      return m;
    }
    if (name.startsWith("#x") || name.startsWith("#X")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) bad = true;
    return v ?? m;
  });
  return bad ? err({ tag: "xml-malformed", reason: "unknown or bare entity" }) : ok(out);
}

const fail = (reason: string): Result<never, XmlError> => err({ tag: "xml-malformed", reason });

/** Parses an XML document into its root element. Never throws. */
export function parseXml(input: string): Result<XmlElement, XmlError> {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const lt = input.indexOf("<", i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const raw = input.slice(i, textEnd);
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (raw.trim() !== "") return fail("text outside the root element");
      } else {
        const t = unescape(raw);
        if (!t.ok) return t;
        top.text += t.value;
      }
    }
    if (lt === -1) break;
    if (input.startsWith("<?", lt)) {
      const e = input.indexOf("?>", lt);
      if (e === -1) return fail("unterminated processing instruction");
      i = e + 2;
    } else if (input.startsWith("<!--", lt)) {
      const e = input.indexOf("-->", lt);
      if (e === -1) return fail("unterminated comment");
      i = e + 3;
    } else if (input.startsWith("<![CDATA[", lt)) {
      const e = input.indexOf("]]>", lt);
      const top = stack[stack.length - 1];
      if (e === -1 || top === undefined) return fail("bad CDATA section");
      top.text += input.slice(lt + 9, e);
      i = e + 3;
    } else if (input.startsWith("<!", lt)) {
      return fail("DTDs are not accepted");
    } else if (input.startsWith("</", lt)) {
      const e = input.indexOf(">", lt);
      if (e === -1) return fail("unterminated end tag");
      const name = input.slice(lt + 2, e).trim();
      const top = stack.pop();
      if (top === undefined || top.name !== name) return fail(`unexpected </${name}>`);
      i = e + 1;
    } else {
      const e = input.indexOf(">", lt);
      if (e === -1) return fail("unterminated start tag");
      const selfClosing = input[e - 1] === "/";
      const body = input.slice(lt + 1, selfClosing ? e - 1 : e);
      const m = /^([A-Za-z_][\w.:-]*)(\s[^]*)?$/.exec(body);
      if (m === null || m[1] === undefined) return fail("bad start tag");
      const name = m[1].includes(":") ? (m[1].split(":").pop() ?? m[1]) : m[1];
      const el: XmlElement = { name, children: [], text: "" };
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.children.push(el);
      else if (root !== undefined) return fail("more than one root element");
      else root = el;
      if (!selfClosing) stack.push(el);
      i = e + 1;
    }
  }
  if (stack.length > 0) return fail(`unclosed <${stack[stack.length - 1]?.name ?? ""}>`);
  if (root === undefined) return fail("no root element");
  return ok(root);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}

export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  const c = child(el, name);
  return c === undefined ? undefined : c.text.trim();
}
