/**
 * Canonical JSON in the style of RFC 8785 (JSON Canonicalization Scheme): object keys sorted by
 * UTF-16 code units, no whitespace, numbers and strings exactly as ECMAScript JSON.stringify
 * writes them. Two values that are equal as JSON data serialize to the same bytes, so the text
 * can be hashed and signed.
 *
 * Stricter than JSON.stringify, so nothing is silently changed before it is hashed: NaN and
 * Infinity, undefined in arrays or at the top, bigint, functions, symbols, strings with lone
 * surrogates, cycles and non-plain objects (Date, Map, class instances, typed arrays) throw a
 * CanonicalJsonError naming the path. An object property whose value is undefined is left out,
 * as in JSON.stringify. -0 is written as 0.
 */

export class CanonicalJsonError extends TypeError {
  readonly code = 'invalid_json_value';
  constructor(
    reason: string,
    /** Where in the value, e.g. `$.answers[2].text`. */
    readonly path: string,
  ) {
    super(`cannot canonicalize ${path}: ${reason}`);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  writeValue(value, '$', out, new Set());
  return out.join('');
}

const LONE_SURROGATE = /\p{Surrogate}/u;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function writeValue(value: unknown, path: string, out: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      out.push(quote(value, path));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} is not a finite number`, path);
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (ancestors.has(value)) throw new CanonicalJsonError('circular reference', path);
      ancestors.add(value);
      if (Array.isArray(value)) writeArray(value, path, out, ancestors);
      else writeObject(value, path, out, ancestors);
      ancestors.delete(value);
      return;
    default:
      // undefined, bigint, function, symbol
      throw new CanonicalJsonError(`${typeof value} is not a JSON value`, path);
  }
}

function writeArray(items: unknown[], path: string, out: string[], ancestors: Set<object>): void {
  out.push('[');
  for (let index = 0; index < items.length; index++) {
    if (index > 0) out.push(',');
    // Holes in sparse arrays read as undefined and are rejected like explicit undefined.
    writeValue(items[index], `${path}[${index}]`, out, ancestors);
  }
  out.push(']');
}

function writeObject(object: object, path: string, out: string[], ancestors: Set<object>): void {
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (object as { constructor?: { name?: unknown } }).constructor?.name;
    throw new CanonicalJsonError(
      `${typeof name === 'string' ? name : 'object'} is not a plain object (convert it to plain data first)`,
      path,
    );
  }
  const record = object as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is what RFC 8785 prescribes.
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const child = record[key];
    if (child === undefined) continue;
    const childPath = PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
    if (!first) out.push(',');
    first = false;
    out.push(quote(key, childPath), ':');
    writeValue(child, childPath, out, ancestors);
  }
  out.push('}');
}

function quote(text: string, path: string): string {
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError('string contains a lone surrogate', path);
  return JSON.stringify(text);
}
