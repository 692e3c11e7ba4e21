/**
 * A seeded sales log for the cube tests (star schema: the log is the fact table; products,
 * customers and salespeople are dimension tables). 1,200 lines, 150 customers, 2023-2024,
 * amounts in cents with some returns, 15% of lines without an order id (their orders are
 * customer-days), some regions and channels missing, a cost on 90% of the lines, 0..3 items.
 */
import type { Transaction } from "../../src/core/types.js";
import { createRng } from "../../src/numeric/index.js";

export interface StarLine extends Transaction {
  readonly rowId: number;
}

const REGIONS = ["north", "south", "east", "west"];
const CHANNELS = ["web", "store", "phone"];
const PRODUCTS = ["p1", "p2", "p3", "p4", "p5", "p6", "p7"];

/** Product dimension: p6 has no category field, p7 is not in the table at all. */
export const PRODUCTS_DIM: ReadonlyMap<string, Readonly<Record<string, unknown>>> = new Map<string, Record<string, unknown>>([
  ["p1", { category: "food", brand: "A" }],
  ["p2", { category: "food", brand: "B" }],
  ["p3", { category: "drink", brand: "A" }],
  ["p4", { category: "drink", brand: "C" }],
  ["p5", { category: "home", brand: "C" }],
  ["p6", { brand: "D" }],
]);

export function starLog(): StarLine[] {
  const rng = createRng(4242);
  const out: StarLine[] = [];
  const start = Date.UTC(2023, 0, 1);
  for (let r = 0; r < 1200; r++) {
    const c = Math.floor(rng.next() * 150);
    const day = Math.floor(rng.next() * 731);
    const ret = rng.next() < 0.06;
    const cents = 100 + Math.floor(rng.next() * 20000);
    const amount = (ret ? -cents : cents) / 100;
    const noOrder = rng.next() < 0.15;
    const region = rng.next() < 0.08 ? undefined : REGIONS[Math.floor(rng.next() * REGIONS.length)];
    const channel = rng.next() < 0.1 ? undefined : CHANNELS[Math.floor(rng.next() * CHANNELS.length)];
    const product = PRODUCTS[Math.floor(rng.next() * PRODUCTS.length)];
    const cost = rng.next() < 0.1 ? undefined : Math.round(cents * (0.4 + 0.7 * rng.next())) / 100 * (ret ? -1 : 1);
    const nItems = Math.floor(rng.next() * 4);
    const items = Array.from({ length: nItems }, (_, k) => `i${(r + k) % 13}`);
    out.push({
      rowId: r,
      customerId: `C${String(c).padStart(4, "0")}`,
      date: new Date(start + day * 86_400_000),
      amount,
      ...(noOrder ? {} : { orderId: `O${Math.floor(r / 2)}` }),
      ...(channel ? { channel } : {}),
      ...(cost !== undefined ? { cost } : {}),
      items,
      attributes: { region: region ?? null, product },
    });
  }
  return out;
}
