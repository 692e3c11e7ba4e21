import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toTransactionTable } from "../../src/core/columns.js";
import { AnalyticsError, InvalidOptionError, InvalidRecordError } from "../../src/core/errors.js";
import { cube } from "../../src/cube/index.js";
import { createRng } from "../../src/numeric/index.js";
import { findRawIds, hmacSha256, pseudonymizeIds, pseudonymizeTable, suppressCube, suppressSmallGroups } from "../../src/privacy/index.js";

const fill = (b: number, n: number) => new Uint8Array(n).fill(b);
const enc = (s: string) => new TextEncoder().encode(s);
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe("hmacSha256", () => {
  // RFC 4231, section 4 (HMAC-SHA-256 test vectors).
  const cases: [string, Uint8Array | string, Uint8Array | string, string][] = [
    ["1", fill(0x0b, 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"],
    ["2", "Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"],
    ["3", fill(0xaa, 20), fill(0xdd, 50), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"],
    ["4", Uint8Array.from({ length: 25 }, (_, i) => i + 1), fill(0xcd, 50), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"],
    ["6", fill(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"],
    [
      "7",
      fill(0xaa, 131),
      "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
    ],
  ];
  for (const [tc, key, data, want] of cases) {
    it(`hmacSha256 gives RFC 4231 test case ${tc}`, async () => {
      expect(toHex(await hmacSha256(key, data))).toBe(want);
    });
  }
  it("hmacSha256 gives RFC 4231 test case 5 (truncated to 128 bits)", async () => {
    expect(toHex((await hmacSha256(fill(0x0c, 20), "Test With Truncation")).slice(0, 16))).toBe("a3b6167473100ee06e0c796c2955552b");
  });
  it("hmacSha256 agrees with node:crypto on seeded UTF-8 ids and keys", async () => {
    const rng = createRng(31);
    for (let k = 0; k < 50; k++) {
      const key = Array.from({ length: 1 + Math.floor(rng.next() * 100) }, () => String.fromCodePoint(32 + Math.floor(rng.next() * 5000))).join("");
      const msg = Array.from({ length: Math.floor(rng.next() * 40) }, () => String.fromCodePoint(32 + Math.floor(rng.next() * 70000))).join("");
      expect(toHex(await hmacSha256(key, msg))).toBe(createHmac("sha256", enc(key)).update(enc(msg)).digest("hex"));
    }
  });
});

describe("pseudonymizeIds", () => {
  const KEY = "0123456789abcdef0123456789abcdef";
  it("pseudonymizeIds is the keyed HMAC prefix, the same in every run, different under another key", async () => {
    const a = await pseudonymizeIds(["C001", "C002", "C001"], KEY);
    const b = await pseudonymizeIds(["C002", "C001"], KEY);
    const other = await pseudonymizeIds(["C001"], `${KEY}!`);
    expect([...a.keys()]).toEqual(["C001", "C002"]);
    expect(a.get("C001")).toBe(createHmac("sha256", KEY).update("C001").digest("hex").slice(0, 32));
    expect(b.get("C001")).toBe(a.get("C001"));
    expect(other.get("C001")).not.toBe(a.get("C001"));
    expect((await pseudonymizeIds(["C001"], KEY, { length: 64, prefix: "p:" })).get("C001")).toBe(`p:${createHmac("sha256", KEY).update("C001").digest("hex")}`);
  });

  it("pseudonymizeTable replaces every id and keeps the rest shared", async () => {
    const t = toTransactionTable([
      { customerId: "alice@example.com", date: new Date("2024-01-01"), amount: 5 },
      { customerId: "bob", date: new Date("2024-01-02"), amount: 7 },
    ]);
    const p = await pseudonymizeTable(t, KEY);
    expect(p.ids).toHaveLength(2);
    expect(p.customer).toBe(t.customer);
    expect(findRawIds(JSON.stringify(p.ids), t.ids).clean).toBe(true);
    expect([...p.index]).toEqual([[p.ids[0], 0], [p.ids[1], 1]]);
    expect(t.ids).toEqual(["alice@example.com", "bob"]);
  });

  describe("errors", () => {
    it("a key shorter than 16 bytes is an InvalidOptionError", async () => {
      await expect(pseudonymizeIds(["a"], "short")).rejects.toBeInstanceOf(InvalidOptionError);
      await expect(pseudonymizeIds(["a"], KEY, { length: 8 })).rejects.toThrow(/16..64/);
    });
    it("no WebCrypto is an AnalyticsError DEPENDENCY_FAILED", async () => {
      const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
      Object.defineProperty(globalThis, "crypto", { value: undefined, configurable: true });
      try {
        await expect(hmacSha256(KEY, "x")).rejects.toMatchObject({ code: "DEPENDENCY_FAILED" });
      } finally {
        if (saved) Object.defineProperty(globalThis, "crypto", saved);
      }
      expect(AnalyticsError).toBeDefined();
    });
  });
});

describe("suppressSmallGroups", () => {
  const groups = Object.freeze([
    { key: "a", size: 25, values: { revenue: 100 } },
    { key: "b", size: 9, values: { revenue: 40 } },
    { key: "c", size: 10, values: { revenue: 50 } },
    { key: "d", size: 3, values: { revenue: 7 } },
  ]);
  it("suppressSmallGroups drops groups below 10 by default and counts them", () => {
    const s = suppressSmallGroups(groups);
    expect(s.groups.map((g) => g.key)).toEqual(["a", "c"]);
    expect([s.smallGroups, s.suppressedGroups, s.suppressedMembers, s.mergedGroups]).toEqual([2, 2, 12, 0]);
  });
  it("suppressSmallGroups in merge mode adds the small groups into one, keeping the totals", () => {
    const s = suppressSmallGroups(groups, { mode: "merge", mergedKey: "rest" });
    expect(s.groups.at(-1)).toEqual({ key: "rest", size: 12, values: { revenue: 47 } });
    expect(s.groups.reduce((t, g) => t + g.size, 0)).toBe(47);
    expect([s.suppressedGroups, s.mergedGroups]).toEqual([0, 2]);
  });
  it("suppressSmallGroups drops a merge that is still too small", () => {
    const s = suppressSmallGroups([groups[0], groups[3]], { mode: "merge" });
    expect(s.groups.map((g) => g.key)).toEqual(["a"]);
    expect([s.suppressedGroups, s.suppressedMembers, s.mergedGroups]).toEqual([1, 3, 0]);
    // b + c + d = 22 >= 20: merged
    expect(suppressSmallGroups(groups, { mode: "merge", minSize: 20 }).groups.map((g) => [g.key, g.size])).toEqual([["a", 25], ["(other)", 22]]);
  });
  it("a negative size is an InvalidRecordError naming the group", () => {
    try {
      suppressSmallGroups([{ key: "x", size: -1 }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidRecordError);
      expect((e as InvalidRecordError).row).toBe("x");
    }
    expect(() => suppressSmallGroups(groups, { minSize: 0 })).toThrow(InvalidOptionError);
  });
});

describe("suppressCube", () => {
  it("suppressCube removes the cells with fewer than minSize customers", () => {
    const log = Array.from({ length: 30 }, (_, i) => ({ customerId: `c${i % 15}`, date: new Date(i < 20 ? "2024-01-05" : "2024-02-05"), amount: 1 }));
    // January: c0..c14 (15 customers); February: c5..c14 minus... rows 20..29 are c5..c14 (10 customers)
    const s = suppressCube(cube(log, { dimensions: ["month"], measures: ["customers", "revenue"] }), { minSize: 11 });
    expect(s.cube.rows.map((r) => [r.key[0], r.values.customers])).toEqual([["2024-01", 15], [null, 15]]);
    expect([s.suppressedCells, s.suppressedSubtotals]).toEqual([1, 0]);
    expect(() => suppressCube(cube(log, { measures: ["revenue"] }))).toThrow(/customers/);
  });
});

describe("findRawIds", () => {
  it("findRawIds finds ids as whole tokens only", () => {
    const text = 'id,segment\n"C1",Lost\nC12;AC1;C1.\n(C1)';
    const r = findRawIds(text, ["C1", "C12", "C3"]);
    // C1 at "C1" (quoted), "C1." and "(C1)"; not inside C12 or AC1
    expect(r.hits.map((h) => [h.id, h.count])).toEqual([["C1", 3], ["C12", 1]]);
    expect(r.hits[0].firstIndex).toBe(text.indexOf('"C1"') + 1);
    expect(r.searchedIds).toBe(3);
  });
  it("findRawIds handles ids with punctuation, spaces and non-Latin letters", () => {
    const text = "top: alice@example.com, 王小明 and O'Brien-2; x--- ";
    const r = findRawIds(text, ["alice@example.com", "王小明", "O'Brien-2", "Brien", "---", "王小"]);
    // punctuation is a boundary: "Brien" is found inside "O'Brien-2" (a false positive is the safe side); "王小" is not inside "王小明"
    expect(r.hits.map((h) => h.id).sort()).toEqual(["---", "Brien", "O'Brien-2", "alice@example.com", "王小明"].sort());
  });
  it("findRawIds reports a clean output and skips ids shorter than minLength", () => {
    const r = findRawIds(new Map([["a.csv", "segment,n\nLost,1"]]), ["1", "C001"], { minLength: 2 });
    expect([r.clean, r.skippedIds, r.searchedIds]).toEqual([true, 1, 1]);
  });
  it("findRawIds finds every id of a seeded report that leaks a few (and none after pseudonymisation)", async () => {
    const rng = createRng(9);
    const ids = Array.from({ length: 2000 }, (_, i) => `CUST-${String(i).padStart(5, "0")}`);
    const leaked = [3, 777, 1999].map((i) => ids[i]);
    const filler = Array.from({ length: 5000 }, () => `${Math.floor(rng.next() * 1e5)}`).join(" ");
    const report = `${filler} ${leaked.join(" | ")} CUST-0000 CUST-000001`;
    expect(findRawIds(report, ids).hits.map((h) => h.id)).toEqual(leaked);
    const p = await pseudonymizeIds(ids, "0123456789abcdef0123456789abcdef");
    expect(findRawIds([...p.values()].join("\n"), ids).clean).toBe(true);
  });
});

describe("pseudonymizeIds engine js", () => {
  it("the js engine gives the webcrypto engine's pseudonyms (seeded ids, long and non-ASCII keys)", async () => {
    const rng = createRng(77);
    const ids = Array.from({ length: 300 }, (_, i) => `${i}-${Array.from({ length: Math.floor(rng.next() * 150) }, () => String.fromCodePoint(33 + Math.floor(rng.next() * 3000))).join("")}`);
    for (const key of ["0123456789abcdef0123456789abcdef", "ключ-".repeat(30), fill(0xaa, 131)]) {
      const a = await pseudonymizeIds(ids, key, { length: 64 });
      const b = await pseudonymizeIds(ids, key, { length: 64, engine: "js" });
      expect([...b]).toEqual([...a]);
    }
  });
  it("the js engine matches the RFC 4231 vectors through pseudonymizeIds' hex", async () => {
    // test case 6: a 131-byte key (hashed first), the message as the "id"
    const p = await pseudonymizeIds(["Test Using Larger Than Block-Size Key - Hash Key First"], fill(0xaa, 131), { length: 64, engine: "js" });
    expect([...p.values()][0]).toBe("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    const q = await pseudonymizeIds(["Hi There"], new Uint8Array(20).fill(0x0b).map((x) => x), { length: 64, engine: "js" }).catch((e) => e);
    // a 20-byte key is accepted (>= 16 bytes): test case 1
    expect([...(q as Map<string, string>).values()][0]).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  });
});

describe("suppressSmallGroups (generated inputs)", () => {
  it("suppressSmallGroups accounts for every member: shown + suppressed = total (fast-check)", async () => {
    const fc = (await import("fast-check")).default;
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 20 }), fc.integer({ min: 1, max: 30 }), fc.constantFrom("suppress", "merge"), (sizes, minSize, mode) => {
        const groups = sizes.map((size, i) => ({ key: `g${i}`, size, values: { n: size } }));
        const r = suppressSmallGroups(groups, { minSize, mode: mode as "merge" });
        const shown = r.groups.reduce((s, g) => s + g.size, 0);
        expect(shown + r.suppressedMembers).toBe(sizes.reduce((s, x) => s + x, 0));
        expect(r.groups.every((g) => g.size >= minSize)).toBe(true);
        expect(r.groups.every((g) => g.values?.n === g.size)).toBe(true);
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
