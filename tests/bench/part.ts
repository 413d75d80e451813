import { gzipSync } from "node:zlib";

/** Figures of one benchmark part: snake_case names with their unit, numbers only. */
export type Figures = Record<string, number>;

/** One part of `npm run bench`, selectable with `--only <name>`. */
export interface Part {
  name: string;
  describe: string;
  run: () => Promise<Figures>;
}

export const gzipBytes = (data: Buffer) => gzipSync(data, { level: 9 }).length;
