/** The widget's part of `npm run bench`: what a page downloads. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { buildWidget, REPO } from "../../demo-site/dev/stack.ts";
import { gzipBytes, type Part } from "./part.ts";

export const widgetPart: Part = {
  name: "widget",
  describe: "bytes a page loads for the widget (fresh production build)",
  async run() {
    await buildWidget();
    const script = await readFile(join(REPO, "widget/dist/leadcap.js"));
    return { widget_total_bytes: script.length, widget_total_gzip_bytes: gzipBytes(script) };
  },
};
