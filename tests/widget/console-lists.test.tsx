/**
 * The console's shared lists: SortableList (fields, options, scoring rules, channel rules, routes)
 * names its buttons after each item, moves by button and by drop, removes; DeliveriesTable shows the
 * columns its screen asks for, Retry or Replay by status, replays once at a time and opens the log.
 */
import { cleanup, fireEvent, render, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { signIn } from "../../edge/console/src/session.ts";
import { DeliveriesTable, type DeliveryRow } from "../../edge/console/src/ui/deliveries-table.tsx";
import { SortableList } from "../../edge/console/src/ui/sortable-list.tsx";

afterEach(cleanup);

const items = [{ name: "email" }, { name: "company" }, { name: "role" }];

function list(overrides: Partial<Parameters<typeof SortableList<{ name: string }>>[0]> = {}) {
  const moves: [number, number][] = [];
  const removed: number[] = [];
  const view = render(
    <SortableList
      items={items}
      name="things"
      class="things-list"
      idBase="thing"
      what={(item) => `thing ${item.name}`}
      onMove={(from, to) => moves.push([from, to])}
      onRemove={(i) => removed.push(i)}
      head={(item) => <span class="title">{item.name}</span>}
      body={(item, i) => <p class="body">{`${item.name} at ${i}`}</p>}
      {...overrides}
    />,
  );
  const button = (name: string) => view.getByRole("button", { name }) as HTMLButtonElement;
  return { view, moves, removed, button };
}

describe("SortableList", () => {
  it("names each item's move and remove buttons after it, and cannot move past either end", () => {
    const { view, button } = list();
    const ol = view.container.querySelector("ol")!;
    expect(ol.className).toBe("sortable things-list");
    expect([...ol.children].map((li) => li.className)).toEqual(Array(3).fill("sortable-item"));
    expect(button("Move thing email up").disabled).toBe(true);
    expect(button("Move thing email down").disabled).toBe(false);
    expect(button("Move thing role down").disabled).toBe(true);
    expect(button("Remove thing company")).toBeTruthy();
    // Ids let focus follow a moved item.
    expect(button("Move thing company up").id).toBe("thing-1-up");
    // The row holds handle, head and buttons; the body comes below it.
    const first = ol.children[0]!;
    expect(first.querySelector(".sortable-head .drag-handle")).not.toBeNull();
    expect(first.querySelector(".sortable-head .title")!.textContent).toBe("email");
    expect(first.querySelector(":scope > .body")!.textContent).toBe("email at 0");
  });

  it("moves by button and by a drop from the same list, and removes", () => {
    const { view, moves, removed, button } = list();
    fireEvent.click(button("Move thing company down"));
    fireEvent.click(button("Move thing role up"));
    fireEvent.click(button("Remove thing email"));
    expect(moves).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(removed).toEqual([0]);

    const lis = view.container.querySelectorAll("li");
    const data = new Map<string, string>();
    const dataTransfer = {
      get types() {
        return [...data.keys()];
      },
      setData: (type: string, value: string) => data.set(type, value),
      getData: (type: string) => data.get(type) ?? "",
      setDragImage: () => {},
    };
    const drag = (type: string, target: Element) => {
      const event = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, "dataTransfer", { value: dataTransfer });
      target.dispatchEvent(event);
    };
    drag("dragstart", lis[2]!.querySelector(".drag-handle")!);
    expect(data.get("application/x-leadcap-things")).toBe("2");
    drag("drop", lis[0]!);
    expect(moves.at(-1)).toEqual([2, 0]);
    // Something dragged from another list is not this list's to move.
    data.clear();
    data.set("application/x-leadcap-other", "1");
    drag("drop", lis[0]!);
    expect(moves).toHaveLength(3);
  });

  it("takes a remove label of its own, and lays a flat item out without a head row", () => {
    const { view, button } = list({
      flat: true,
      itemClass: "option-row",
      removeLabel: (item) => `Remove field ${item.name}`,
      body: undefined,
    });
    expect(button("Remove field role")).toBeTruthy();
    expect(view.queryByRole("button", { name: "Remove thing role" })).toBeNull();
    const li = view.container.querySelector("li")!;
    expect(li.className).toBe("option-row");
    expect(li.querySelector(".sortable-head")).toBeNull();
    expect(li.querySelector(":scope > .drag-handle")).not.toBeNull();
  });
});

const row = (over: Partial<DeliveryRow>): DeliveryRow =>
  ({
    id: "d1",
    leadId: "lead_1",
    destination: "receiver",
    eventType: "lead.created",
    status: "dead",
    attempts: 8,
    lastStatus: 500,
    lastError: null,
    createdAt: "2026-12-01T10:00:00.000Z",
    held: false,
    ...over,
  }) as DeliveryRow;

describe("DeliveriesTable", () => {
  const original = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = original;
  });

  it("shows the lead or status column when asked, and Retry, Replay or nothing by status", () => {
    const rows = [
      row({ id: "d1", status: "dead" }),
      row({ id: "d2", status: "delivered", destination: "slack" }),
      row({ id: "d3", status: "pending", destination: "hubspot" }),
    ];
    const site = render(
      <DeliveriesTable rows={rows} label="Dead letters table" leadColumn onReplayed={() => {}} />,
    );
    const heads = () => [...site.container.querySelectorAll("th")].map((th) => th.textContent);
    expect(heads()).toEqual([
      "Lead",
      "Destination",
      "Event",
      "Attempts",
      "Last answer",
      "Created",
      "Actions",
    ]);
    expect(site.getAllByRole("link", { name: "lead_1" })[0]!.getAttribute("href")).toBe("#/leads/lead_1");
    expect(site.getByRole("region", { name: "Dead letters table" })).toBeTruthy();
    expect(site.getByRole("button", { name: "Retry lead.created to receiver" })).toBeTruthy();
    expect(site.getByRole("button", { name: "Replay lead.created to slack" })).toBeTruthy();
    expect(site.queryByRole("button", { name: /lead.created to hubspot$/ })?.textContent).toBe("Attempts");
    expect(site.container.textContent).toContain("HTTP 500");
    site.unmount();

    const lead = render(
      <DeliveriesTable rows={rows} label="Deliveries table" statusColumn onReplayed={() => {}} />,
    );
    expect([...lead.container.querySelectorAll("th")].map((th) => th.textContent)).toEqual([
      "Destination",
      "Event",
      "Status",
      "Attempts",
      "Last answer",
      "Created",
      "Actions",
    ]);
    expect(lead.queryByRole("link")).toBeNull();
  });

  it("replays with the edge, one at a time, and opens a delivery's attempt log in place", async () => {
    signIn({ token: "t", edge: "https://edge.example", site: "demo" });
    const calls: string[] = [];
    let release: () => void = () => {};
    globalThis.fetch = (async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? "GET"} ${url}`);
      if (init?.method === "POST") {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return Response.json({ replayed: 1 });
      }
      return Response.json({
        attempts: [{ at: "2026-12-01T10:00:00.000Z", outcome: "failed", status: 500, latencyMs: 42 }],
      });
    }) as typeof fetch;
    let replayed = 0;
    const view = render(
      <DeliveriesTable
        rows={[row({ id: "d1" }), row({ id: "d2", destination: "slack" })]}
        label="Dead letters table"
        onReplayed={() => replayed++}
      />,
    );
    const retry = (to: string) =>
      view.getByRole("button", { name: `Retry lead.created to ${to}` }) as HTMLButtonElement;
    fireEvent.click(retry("receiver"));
    await waitFor(() => expect(retry("slack").disabled).toBe(true));
    release();
    await waitFor(() => expect(replayed).toBe(1));
    expect(retry("slack").disabled).toBe(false);
    expect(calls).toEqual(["POST https://edge.example/v1/admin/deliveries/d1/replay"]);

    const attempts = view.getByRole("button", { name: "Attempts of lead.created to slack" });
    fireEvent.click(attempts);
    expect(attempts.getAttribute("aria-expanded")).toBe("true");
    await waitFor(() =>
      expect(view.container.querySelector(".attempts-row")!.textContent).toContain("42 ms"),
    );
    expect(view.container.querySelector(".attempts-row td")!.getAttribute("colspan")).toBe("6");
    expect(calls.at(-1)).toBe("GET https://edge.example/v1/admin/deliveries/d2");
  });
});
