import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AnalyticsError,
  basketsFrom,
  frequentItemsets,
  generateTransactions,
  InvalidOptionError,
  InvalidRecordError,
  readBaskets,
  toBaskets,
  type Transaction,
} from "../../src/index.js";

const day = new Date("2024-03-01T00:00:00Z");
const tx = (t: Partial<Transaction> & { customerId: string }): Transaction => ({ date: day, amount: 10, ...t });
const basketLists = (b: ReturnType<typeof toBaskets>) =>
  Array.from({ length: b.count }, (_, i) => Array.from(b.itemIds.subarray(b.offsets[i], b.offsets[i + 1]), (id) => b.items[id]));

describe("toBaskets", () => {
  it("toBaskets(lists) trims labels, drops empty ones, de-duplicates, keeps empty baskets", () => {
    const b = toBaskets(Object.freeze([["cream cheese ", "milk", "milk"], ["cream cheese", " ", ""], []]));
    expect(b.items).toEqual(["cream cheese", "milk"]);
    expect(b.count).toBe(3);
    expect(basketLists(b)).toEqual([["cream cheese", "milk"], ["cream cheese"], []]);
    // An empty basket counts in the denominator (as in arules): 2 of 3 baskets.
    expect(frequentItemsets(b, { minSupport: 0.5 }).itemsets[0]).toEqual({ items: ["cream cheese"], count: 2, support: 2 / 3 });
  });

  it("toBaskets(lists) keeps labels with commas, quotes and markup verbatim", () => {
    const b = toBaskets([['a,b', 'say "hi"', "<script>alert(1)</script>"]]);
    expect(b.items).toEqual(["<script>alert(1)</script>", "a,b", 'say "hi"']);
  });

  describe("errors", () => {
    it("toBaskets(['milk', 'bread']) throws InvalidRecordError: a basket is a list, not a string", () => {
      const e = (() => { try { toBaskets(["milk", "bread"] as unknown as string[][]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.value]).toEqual([1, "milk"]);
    });
    it("toBaskets([[1]]) throws InvalidRecordError naming the row", () => {
      const e = (() => { try { toBaskets([["a"], [1 as unknown as string]]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect(e.row).toBe(2);
      expect(e.field).toBe("items");
      expect(e.value).toBe(1);
    });
  });
});

describe("basketsFrom", () => {
  it("basketsFrom(transactions) groups lines by order, skips return lines, falls back to customer and day", () => {
    const lines = Object.freeze([
      tx({ customerId: "c1", orderId: "o1", items: ["milk", "bread"] }),
      tx({ customerId: "c1", orderId: "o1", items: ["eggs", "milk"] }),
      tx({ customerId: "c2", orderId: "R9", amount: -3, items: ["milk"] }),
      tx({ customerId: "c2", items: ["beer"] }),
      tx({ customerId: "c2", items: ["chips"] }),
      tx({ customerId: "c3", orderId: "o3" }),
    ]);
    const b = basketsFrom(lines);
    expect(b.ids).toEqual(["o1", "c2|2024-03-01", "o3"]);
    expect(basketLists(b)).toEqual([["bread", "eggs", "milk"], ["beer", "chips"], []]);
    expect(basketsFrom(lines, { includeReturns: true }).ids).toContain("R9");
  });

  it("basketsFrom(transactions, { by: 'customer', attributes }) makes one basket per customer with attribute items", () => {
    const attrs = { region: "north", ageBand: "30-39" };
    const b = basketsFrom(
      [
        tx({ customerId: "__proto__", orderId: "o1", items: ["tea"], attributes: attrs }),
        tx({ customerId: "__proto__", orderId: "o2", items: ["cake"], attributes: attrs }),
        tx({ customerId: "c2", orderId: "o3", items: ["tea"], attributes: { region: null } }),
      ],
      { by: "customer", attributes: ["ageBand", "region"] },
    );
    expect(b.ids).toEqual(["__proto__", "c2"]);
    expect(basketLists(b)).toEqual([["ageBand=30-39", "cake", "region=north", "tea"], ["tea"]]);
  });

  it("basketsFrom(transactions, { item }) maps labels (e.g. to categories) and drops null", () => {
    const b = basketsFrom([tx({ customerId: "c", orderId: "o", items: ["whole milk", "yogurt", "bag"] })], {
      item: (l) => (l === "bag" ? null : "dairy"),
    });
    expect(basketLists(b)).toEqual([["dairy"]]);
  });

  it("basketsFrom(generateTransactions(...)) has one basket per purchase order and no R orders", () => {
    const t = generateTransactions({ customers: 200, seed: 3 });
    const b = basketsFrom(t);
    const orders = new Set(t.filter((x) => x.amount >= 0).map((x) => x.orderId));
    expect(b.count).toBe(orders.size);
    expect(b.ids!.some((id) => id.startsWith("R"))).toBe(false);
    expect(t.some((x) => x.orderId?.startsWith("R"))).toBe(true);
  });

  describe("errors", () => {
    it("basketsFrom(transactions, { by: 'day' }) throws InvalidOptionError", () => {
      const e = (() => { try { basketsFrom([], { by: "day" as "order" }); } catch (x) { return x; } })() as InvalidOptionError;
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("by");
      expect(e.message).toMatch(/^basketsFrom: /);
    });
    it("basketsFrom(line with items not an array) throws InvalidRecordError with the row", () => {
      const e = (() => { try { basketsFrom([tx({ customerId: "c" }), tx({ customerId: "c", items: "milk" as unknown as string[] })]); } catch (x) { return x; } })() as InvalidRecordError;
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect([e.row, e.field, e.value]).toEqual([2, "items", "milk"]);
    });
  });
});

describe("readBaskets", () => {
  const dir = mkdtempSync(join(tmpdir(), "rules-read-"));
  afterAll(() => rmSync(dir, { recursive: true }));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it("readBaskets(csv-items) trims, honours quotes and skips blank lines", async () => {
    const p = file("items.csv", 'milk,cream cheese \ncream cheese,"a, b",milk,milk\n\n"say ""hi"""\n');
    const b = await readBaskets(p);
    expect(b.count).toBe(3);
    expect(basketLists(b)).toEqual([["cream cheese", "milk"], ["a, b", "cream cheese", "milk"], ['say "hi"']]);
  });

  it("readBaskets(fimi) splits on runs of spaces and tabs", async () => {
    const b = await readBaskets(file("x.dat", "25 52 164 \n52\t25  7\n"), { format: "fimi" });
    expect(basketLists(b)).toEqual([["164", "25", "52"], ["25", "52", "7"]]);
  });

  it("readBaskets(long) groups rows by the basket column, non-adjacent rows included", async () => {
    const p = file("long.csv", "\uFEFForderId,item,qty\no1,milk,1\no2,bread,2\no1,\"jam, strawberry\",1\no1,milk,3\n");
    const b = await readBaskets(p, { format: "long" });
    expect(b.ids).toEqual(["o1", "o2"]);
    expect(basketLists(b)).toEqual([["jam, strawberry", "milk"], ["bread"]]);
  });

  it("readBaskets(file, { encoding: 'latin1' }) decodes Latin-1 bytes (crème = 63 72 e8 6d 65)", async () => {
    const p = join(dir, "latin1.csv");
    writeFileSync(p, Buffer.from([0x63, 0x72, 0xe8, 0x6d, 0x65, 0x2c, 0x74, 0x65, 0x61, 0x0a]));
    expect(basketLists(await readBaskets(p, { encoding: "latin1" }))).toEqual([["crème", "tea"]]);
    // The same bytes as UTF-8 are not "crème" (0xe8 alone is not valid UTF-8).
    expect(basketLists(await readBaskets(p))[0]).not.toContain("crème");
  });

  it("readBaskets(file, { format: undefined, encoding: undefined }) uses the defaults (csv-items, utf8)", async () => {
    const p = file("undef.csv", "milk,bread\n");
    expect(basketLists(await readBaskets(p, { format: undefined, delimiter: undefined, encoding: undefined }))).toEqual([["bread", "milk"]]);
  });

  describe("errors", () => {
    it("readBaskets(missing file) throws AnalyticsError IO_ERROR", async () => {
      const e = await readBaskets(join(dir, "nope.csv")).catch((x) => x);
      expect(e).toBeInstanceOf(AnalyticsError);
      expect(e.code).toBe("IO_ERROR");
      expect(e.message).toMatch(/^readBaskets: /);
    });
    it("readBaskets(file, { encoding: 'utf-32' }) throws InvalidOptionError naming encoding", async () => {
      const e = await readBaskets(file("enc.csv", "a\n"), { encoding: "utf-32" as never }).catch((x) => x);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect([e.option, e.value]).toEqual(["encoding", "utf-32"]);
    });
    it("readBaskets(long without the item column) throws InvalidOptionError", async () => {
      const e = await readBaskets(file("bad.csv", "orderId,product\no1,milk\n"), { format: "long" }).catch((x) => x);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("itemColumn");
    });
    it("readBaskets(path, { format: 'xml' }) throws InvalidOptionError", async () => {
      const e = await readBaskets("x", { format: "xml" as "fimi" }).catch((x) => x);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e.option).toBe("format");
    });
  });
});
