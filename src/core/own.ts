/**
 * Lookups of user input and proxy data in plain objects. `key in obj` and `obj[key]` also find the
 * names every object inherits (`constructor`, `toString`, `hasOwnProperty`, `__proto__`, …), so a
 * `--period constructor` would pass as a known word, and assigning `obj['__proto__']` replaces the
 * object's prototype instead of storing a value. Everything here looks at own properties only.
 */

/** `key` is one of `obj`'s own keys (never an inherited name). */
export function hasOwnKey<K extends string>(obj: Readonly<Record<K, unknown>>, key: string): key is K {
  return Object.hasOwn(obj, key)
}

/** The value stored under `key` itself, or undefined (never an inherited member). */
export function ownValue<V>(obj: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** Store `value` under `key` as data, even when `key` is `__proto__`. */
export function setOwn<V>(obj: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(obj, key, {value, writable: true, enumerable: true, configurable: true})
}
