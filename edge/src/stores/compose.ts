/** Turns `A | B | C` into `A & B & C`. */
type Both<U> = (U extends unknown ? (part: U) => void : never) extends (whole: infer I) => void ? I : never;

/**
 * One object with every method of every part, each bound to its part: how an adapter's capability
 * classes (one per port) make the whole lead store that `storeFor` hands out. Parts must not share a
 * method name (the last would win).
 */
export function compose<Parts extends object[]>(...parts: Parts): Both<Parts[number]> {
  const whole: Record<string, unknown> = {};
  for (const part of parts) {
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(part))) {
      const method = (part as Record<string, unknown>)[name];
      if (name !== "constructor" && typeof method === "function") whole[name] = method.bind(part);
    }
  }
  return whole as Both<Parts[number]>;
}
