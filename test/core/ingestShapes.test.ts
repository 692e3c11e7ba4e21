/**
 * Issue 15, ingestion side: amount from quantity × unit price, cancellations and returns, files
 * without amounts, amount synonyms, misspelt column options, item labels. Every expected number
 * is computed by hand in the comments. Each shape is read twice: as CSV text (the positional
 * path, `pushRow`) and as row objects (the object path, `pushObject`); both must agree.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTransactionTable, parseTransactions, readTransactionTable, InvalidOptionError, InvalidRecordError, detectColumns, toEpochDay } from "../../src/index.js";
import type { IngestionReport, ParseTransactionsOptions, TransactionTable } from "../../src/index.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Split simple CSV text (no quotes) into row objects keyed by the header, all values strings. */
function csvObjects(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split("\n");
  const names = head.split(",");
  return lines.map((l) => {
    const cells = l.split(",");
    const row: Record<string, string> = Object.create(null);
    names.forEach((n, j) => (row[n] = cells[j]));
    return row;
  });
}

/** Read `text` both ways; check the two paths agree and return the CSV path's result. */
async function readBoth(text: string, options: ParseTransactionsOptions = {}): Promise<{ table: TransactionTable; report: IngestionReport }> {
  const csv = await readTransactionTable(bytes(text), options);
  const obj = parseTransactionTable(csvObjects(text), options);
  expect([...obj.table.amount]).toEqual([...csv.table.amount]); // toEqual tells -0 from 0
  expect([...obj.table.day]).toEqual([...csv.table.day]);
  expect(obj.table.ids).toEqual(csv.table.ids);
  expect(obj.table.items?.names).toEqual(csv.table.items?.names);
  expect(obj.table.amountSource).toBe(csv.table.amountSource);
  expect(obj.report).toEqual(csv.report);
  return csv;
}

/**
 * An Online-Retail-shaped export: invoice, stock code, description, quantity, date, unit price,
 * customer, country; "C" invoices are cancellations, one line has a negative quantity on an
 * ordinary invoice, and two descriptions hold "|" (the item separator) and " + ".
 */
const RETAIL = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850,UK
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26,3.39,17850,UK
536366,22633,HAND WARMER | UNION JACK,6,2010-12-01 08:28,1.85,17850,UK
C536379,85123A,WHITE HANGING HEART,-1,2010-12-01 09:41,2.55,17850,UK
536400,22632,GIN + TONIC DIET METAL SIGN,3,2010-12-02 10:00,2.10,13047,UK
536401,22632,GIN + TONIC DIET METAL SIGN,-2,2010-12-03 10:00,2.10,13047,UK
536402,22633,HAND WARMER | UNION JACK,12,2010-12-05 11:00,1.85,13047,UK
C536403,71053,,1,2010-12-06 12:00,3.39,13047,UK
536404,POST,,1,2010-12-06,0,12345,UK
C536405,POST,POSTAGE,-1,2010-12-07,0,12345,UK
`;

describe("parseTransactionTable / readTransactionTable: quantity × unit price", () => {
  it("detects the parts of the retail export, multiplies them and applies the cancellation policy (hand-computed amounts)", async () => {
    const { table, report } = await readBoth(RETAIL);
    expect(report.columns).toEqual({
      customerId: "CustomerID", date: "InvoiceDate", orderId: "InvoiceNo", items: "StockCode",
      quantity: "Quantity", unitPrice: "UnitPrice", itemLabel: "Description",
    });
    expect(report.amountSource).toBe("quantity-x-price");
    expect(table.amountSource).toBe("quantity-x-price");
    // 6 × 2.55 = 15.30; 6 × 3.39 = 20.34; 6 × 1.85 = 11.10; C536379: -1 × 2.55 = -2.55 (already negative);
    // 3 × 2.10 = 6.30; 536401: -2 × 2.10 = -4.20 (negative quantity, an ordinary invoice);
    // 12 × 1.85 = 22.20; C536403: 1 × 3.39 = 3.39 forced to -3.39; 536404: 1 × 0 = 0;
    // C536405: -1 × 0 = -0 (a return of no value keeps the sign bit).
    expect([...table.amount]).toEqual([15.3, 20.34, 11.1, -2.55, 6.3, -4.2, 22.2, -3.39, 0, -0]);
    // 10 rows: 4 returns (C536379, 536401, C536403, C536405), 3 of them on cancelled invoices; one sale of 0.
    expect([report.rowsRead, report.accepted, report.rejected]).toEqual([10, 10, 0]);
    expect([report.returns, report.cancellations, report.zeroAmounts]).toEqual([4, 3, 1]);
    expect(table.attributes?.get("Country")?.values).toEqual(["UK"]);
  });

  it("keeps the stock codes as keys and the first non-empty description as each code's name, | and + inside untouched", async () => {
    const { table } = await readBoth(RETAIL);
    const items = table.items!;
    expect(items.labels).toEqual(["85123A", "71053", "22633", "22632", "POST"]);
    // POST's first line has an empty description; its second line names it.
    expect(items.names).toEqual(["WHITE HANGING HEART", "WHITE METAL LANTERN", "HAND WARMER | UNION JACK", "GIN + TONIC DIET METAL SIGN", "POSTAGE"]);
    // one item per line: the description was not split at "|"
    expect([...items.offsets]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("a label on a row with several items names none of them; a code never labelled is its own name", () => {
    const { table } = parseTransactionTable(
      [
        { customer: "a", date: "2024-01-01", amount: 3, sku: "x|y", description: "X AND Y" },
        { customer: "a", date: "2024-01-02", amount: 3, sku: "x", description: " Ex " },
      ],
      { columns: { itemLabel: "description" } },
    );
    expect(table.items?.labels).toEqual(["x", "y"]);
    expect(table.items?.names).toEqual(["Ex", "y"]);
  });

  it("parts: rejects a bad or missing quantity or unit price with its own reason, and names row, field and value in strict mode", async () => {
    const text = `customer,date,qty,price
a,2024-01-01,2,1.5
a,2024-01-02,abc,1.5
a,2024-01-03,,1.5
a,2024-01-04,2,
a,2024-01-05,2,1e999
`;
    const { table, report } = await readBoth(text, { mode: "lenient" });
    expect([...table.amount]).toEqual([3]); // 2 × 1.5
    expect(report.rejectedByReason.map((r) => [r.reason, r.count, r.examples[0].row, r.examples[0].field])).toEqual([
      ["invalid-quantity", 1, 2, "qty"],
      ["missing-quantity", 1, 3, "qty"],
      ["missing-unitPrice", 1, 4, "price"],
      ["invalid-unitPrice", 1, 5, "price"],
    ]);
    expect(report.accepted + report.rejected).toBe(report.rowsRead);
    const err = await readTransactionTable(bytes(text)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRecordError);
    expect(err).toMatchObject({ row: 2, field: "qty", value: "abc" });
  });

  it("a product that overflows a double is invalid-quantity, not Infinity", () => {
    const { report } = parseTransactionTable([{ customer: "a", date: "2024-01-01", quantity: 1e200, unitprice: 1e200 }], { mode: "lenient" });
    expect(report.rejectedByReason.map((r) => r.reason)).toEqual(["invalid-quantity"]);
  });

  it("3 × 0.1 is 0.3: the product's binary error is rounded away (8 decimals)", () => {
    const { table } = parseTransactionTable([{ customer: "a", date: "2024-01-01", quantity: "3", unitprice: "0.1" }]);
    expect(table.amount[0]).toBe(0.3);
  });
});

describe("cancellationPrefix", () => {
  const rows = [
    { customer: "a", date: "2024-01-01", amount: 10, order: "C100" },
    { customer: "a", date: "2024-01-02", amount: 10, order: "CA-2016-152156" },
    { customer: "a", date: "2024-01-03", amount: 10, order: "X-7" },
    { customer: "a", date: "2024-01-04", amount: 10, order: "C" },
  ];
  it('default "C": C100 is cancelled (amount forced to -10); CA-2016-152156 (a letter follows) and a bare "C" are not', () => {
    const { table, report } = parseTransactionTable(rows);
    expect([...table.amount]).toEqual([-10, 10, 10, 10]);
    expect([report.cancellations, report.returns]).toEqual([1, 1]);
  });
  it("a custom prefix, and false to turn the policy off", () => {
    expect([...parseTransactionTable(rows, { cancellationPrefix: "X-" }).table.amount]).toEqual([10, 10, -10, 10]);
    expect([...parseTransactionTable(rows, { cancellationPrefix: false }).table.amount]).toEqual([10, 10, 10, 10]);
    expect(parseTransactionTable(rows, { cancellationPrefix: undefined }).report.cancellations).toBe(1); // undefined = default
  });
  it("the CSV path reads the prefix from the bytes and agrees with the object path", async () => {
    const text = "customer,date,amount,order\na,2024-01-01,10,C100\na,2024-01-02,10,CA-2016-152156\na,2024-01-03,-4,C101\n";
    const { table, report } = await readBoth(text);
    expect([...table.amount]).toEqual([-10, 10, -4]);
    expect(report.cancellations).toBe(2);
    const drop = await readTransactionTable(bytes(text), { duplicates: "drop" }); // ids coded row by row
    expect([...drop.table.amount]).toEqual([-10, 10, -4]);
  });
  it("errors: an empty or non-string prefix is an InvalidOptionError", () => {
    for (const bad of ["", 3, true]) {
      const err = (() => {
        try {
          parseTransactionTable(rows, { cancellationPrefix: bad as never });
        } catch (e) {
          return e;
        }
        return expect.unreachable();
      })();
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect(err).toMatchObject({ option: "cancellationPrefix", value: bad });
    }
  });
});

describe("files without an amount column", () => {
  const TEXT = `customer_id,date,invoice
a,2024-01-01,1001
a,2024-01-15,1002
a,2024-01-20,C1003
b,2024-01-03,1004
`;
  it("are accepted: every amount 0 (-0 for the cancelled invoice), amountSource none in the table and the report", async () => {
    const { table, report } = await readBoth(TEXT);
    expect(report.amountSource).toBe("none");
    expect(table.amountSource).toBe("none");
    expect([...table.amount]).toEqual([0, 0, -0, 0]);
    expect(report.columns).toEqual({ customerId: "customer_id", date: "date", orderId: "invoice" });
    expect([report.accepted, report.returns, report.cancellations, report.zeroAmounts]).toEqual([4, 1, 1, 3]);
  });
  it("a quantity column without a price: its sign still marks returns", () => {
    const { table, report } = parseTransactionTable([
      { customer: "a", date: "2024-01-01", qty: 2 },
      { customer: "a", date: "2024-01-02", qty: -1 },
      { customer: "a", date: "2024-01-03", qty: "" },
    ]);
    expect(report.amountSource).toBe("none");
    expect([...table.amount]).toEqual([0, -0, 0]);
    expect(report.returns).toBe(1);
  });
  it("customer id and date stay required", () => {
    expect(() => parseTransactionTable([{ customer: "a", when: "2024-01-01" }])).toThrow(InvalidOptionError);
  });
});

describe("detectColumns: amount synonyms and parts", () => {
  it("recognises dollar_value (CDNOW), revenue, sales, total, value, spend, line_total", () => {
    expect(detectColumns(["customer_id", "date", "number_of_cds", "dollar_value"]).amount).toBe("dollar_value");
    for (const name of ["Revenue", "sales", "TOTAL", "value", "Spend", "line_total", "TotalAmount", "Line Amount"]) {
      expect(detectColumns(["customer", "date", name]).amount).toBe(name);
    }
  });
  it("price is the amount only without a quantity column; UnitCost is never a price", () => {
    expect(detectColumns(["customer", "date", "Price"])).toEqual({ customerId: "customer", date: "date", amount: "Price" });
    expect(detectColumns(["customer", "date", "Qty", "Price"])).toEqual({ customerId: "customer", date: "date", quantity: "Qty", unitPrice: "Price" });
    expect(detectColumns(["customer", "date", "Units", "Unit_Price"])).toEqual({ customerId: "customer", date: "date", quantity: "Units", unitPrice: "Unit_Price" });
    expect(detectColumns(["customer", "date", "Quantity", "UnitCost"])).toEqual({ customerId: "customer", date: "date", quantity: "Quantity" });
  });
  it("an amount column wins over the parts: they are not read and stay attributes", () => {
    const rows = [{ customer: "a", date: "2024-01-01", amount: 7, quantity: 2, price: 5 }];
    const { table, report } = parseTransactionTable(rows, { columns: { quantity: "quantity", unitPrice: "price" } });
    expect([...table.amount]).toEqual([7]);
    expect(report.amountSource).toBe("column");
    expect(report.columns).toEqual({ customerId: "customer", date: "date", amount: "amount" });
    expect([...table.attributes!.keys()]).toEqual(["quantity", "price"]);
  });
});

describe("column options naming a column that is not there", () => {
  const CSV = "customer_id,order_date,amount\na,2024-01-01,5\nb,2024-01-02,6\n";
  const catchErr = async (p: Promise<unknown> | (() => unknown)): Promise<unknown> => {
    try {
      await (typeof p === "function" ? p() : p);
    } catch (e) {
      return e;
    }
    return expect.unreachable();
  };
  it("CSV: InvalidOptionError naming the option, the value and the closest column (case-insensitive), in strict and lenient mode", async () => {
    for (const mode of ["strict", "lenient"] as const) {
      const err = await catchErr(readTransactionTable(bytes(CSV), { mode, columns: { amount: "Amount" } }));
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect(err).toMatchObject({ option: "columns.amount", value: "Amount" });
      expect((err as Error).message).toContain('the closest is "amount"');
    }
    const err = await catchErr(readTransactionTable(bytes(CSV), { columns: { date: "orderdate" } }));
    expect(err).toMatchObject({ option: "columns.date", value: "orderdate" });
    expect((err as Error).message).toContain('the closest is "order_date"'); // distance 1 (the "_")
  });
  it("applies to every mapped field, and to a header without data rows", async () => {
    for (const field of ["orderId", "items", "cost", "margin", "channel", "quantity", "unitPrice"] as const) {
      const err = await catchErr(readTransactionTable(bytes("customer_id,order_date,amount\n"), { columns: { [field]: "nope" } }));
      expect(err).toMatchObject({ option: `columns.${field}`, value: "nope" });
    }
  });
  it("object rows: at the first row in strict mode; in lenient mode when no row had the column (never every row rejected)", () => {
    const rows = csvObjects(CSV);
    const strict = (() => {
      try {
        parseTransactionTable(rows, { columns: { amount: "Amount" } });
      } catch (e) {
        return e;
      }
      return expect.unreachable();
    })();
    expect(strict).toBeInstanceOf(InvalidOptionError);
    expect((strict as Error).message).toContain('the closest is "amount"');
    expect(() => parseTransactionTable(rows, { mode: "lenient", columns: { amount: "Amount" } })).toThrow(/columns\.amount.*closest is "amount"/);
    expect(() => parseTransactionTable(rows, { mode: "lenient", columns: { cost: "Cost" } })).toThrow(InvalidOptionError);
  });
  it("object rows: a column the first row omits but a later row has is fine (sparse JSON)", () => {
    const { table } = parseTransactionTable(
      [{ id: "a", date: "2024-01-01", amount: 1 }, { id: "b", date: "2024-01-02", amount: 2, cost: 1 }],
      { columns: { customerId: "id", cost: "cost" } },
    );
    expect([...table.cost!]).toEqual([NaN, 1]);
  });
  it("a DataFrame's columns are checked before any row", () => {
    expect(() => parseTransactionTable({ columns: ["id", "date", "amount"], values: [["a", "2024-01-01", 1]] }, { columns: { customerId: "ID " } })).toThrow(/columns\.customerId.*closest is "id"/);
  });
  it("an unknown field or a non-string column name is an InvalidOptionError", () => {
    expect(() => parseTransactionTable([{ customer: "a", date: "2024-01-01", amount: 1 }], { columns: { amout: "amount" } as never })).toThrow(/columns\.amout/);
    expect(() => parseTransactionTable([{ customer: "a", date: "2024-01-01", amount: 1 }], { columns: { amount: 3 } as never })).toThrow(InvalidOptionError);
    // undefined means "detect" (the options rule)
    expect(parseTransactionTable([{ customer: "a", date: "2024-01-01", amount: 1 }], { columns: { amount: undefined } }).table.length).toBe(1);
  });
  it("an item label without an items column is an InvalidOptionError", () => {
    expect(() => parseTransactionTable([{ customer: "a", date: "2024-01-01", amount: 1, description: "d" }], { columns: { itemLabel: "description" } })).toThrow(/columns\.itemLabel/);
  });
});

describe("a column named __proto__ (code review 2.5, audit D16)", () => {
  it("survives as an attribute from JSON rows, CSV and a DataFrame, and can be mapped", async () => {
    const json = JSON.parse('[{"customerId":"a","date":"2024-01-01","amount":1,"__proto__":"x"}]') as object[];
    const rec = parseTransactions(json).transactions[0];
    expect(Object.prototype.hasOwnProperty.call(rec.attributes, "__proto__")).toBe(true);
    expect((rec.attributes as Record<string, unknown>)["__proto__"]).toBe("x");
    const csv = await readTransactionTable(bytes("customerId,date,amount,__proto__\na,2024-01-01,1,x\n"));
    expect(csv.table.attributes?.get("__proto__")?.values).toEqual(["x"]);
    const df = parseTransactionTable({ columns: ["customerId", "date", "amount", "__proto__"], values: [["a", "2024-01-01", 1, "x"]] });
    expect(df.table.attributes?.get("__proto__")?.values).toEqual(["x"]);
    const mapped = await readTransactionTable(bytes("__proto__,date,amount\nc9,2024-01-01,1\n"), { columns: { customerId: "__proto__" } });
    expect(mapped.table.ids).toEqual(["c9"]);
  });
});

describe("toEpochDay (issue 16 item 3: one strict parser for rows and options)", () => {
  const fail = (v: unknown, opts?: { timeZone?: string }) => {
    try {
      toEpochDay(v as string, "analyze", "asOf", opts);
    } catch (e) {
      return e;
    }
    return expect.unreachable();
  };
  it("rejects impossible dates and trailing text as InvalidOptionError naming the option (no roll-over, no Date.parse fallback)", () => {
    for (const bad of ["2024-02-30", "1997-09-30junk", "20241399", "2023-02-29", "2024-03-01T25:00:00", "", "30/09/1997"]) {
      const e = fail(bad);
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "asOf", value: bad });
    }
    expect(fail(new Date(Number.NaN))).toBeInstanceOf(InvalidOptionError);
  });
  it("reads an offset-less date-time as the calendar day it names, and instants in timeZone", () => {
    // 2024-03-01 is epoch day 19783 (Date.UTC(2024, 2, 1) / 86,400,000).
    expect(toEpochDay("2024-03-01T23:30:00", "f", "o")).toBe(19783);
    expect(toEpochDay("2024-03-01 00:10", "f", "o")).toBe(19783);
    // 03:00Z on March 2 is 22:00 on March 1 in New York (UTC-5 in winter).
    expect(toEpochDay(new Date("2024-03-02T03:00:00Z"), "f", "o")).toBe(19784);
    expect(toEpochDay(new Date("2024-03-02T03:00:00Z"), "f", "o", { timeZone: "America/New_York" })).toBe(19783);
    expect(toEpochDay("2024-03-02T03:00:00Z", "f", "o", { timeZone: "-05:00" })).toBe(19783);
    expect(toEpochDay("2024-03-01", "f", "o", { timeZone: "Asia/Tokyo" })).toBe(19783); // a plain date ignores the zone
    expect(fail("2024-03-01", { timeZone: "Mars/Olympus" })).toMatchObject({ option: "timeZone" });
  });
});

describe("quantity × price and cancellations on random rows (fast-check, seed 15)", () => {
  const cells = {
    customer: ["a", "b", "", " c "],
    date: ["2024-01-01", "20240105", "2024-02-30", ""],
    qty: ["2", "-1", "0", "1.5", " 3 ", "abc", ""],
    price: ["2.55", "0", "-1", "1e3", "0.1", "x", ""],
    invoice: ["536365", "C536379", "CA-2016-1", "C", "", "c12", "X-1", "C-7"],
  };
  const row = fc.record({
    customer: fc.constantFrom(...cells.customer), date: fc.constantFrom(...cells.date),
    qty: fc.constantFrom(...cells.qty), price: fc.constantFrom(...cells.price), invoice: fc.constantFrom(...cells.invoice),
  });
  /** The reason a row is set aside, by the documented order of checks (id, date, quantity, price), or null. */
  const reasonOf = (r: Record<string, string>): string | null => {
    if (r.customer.trim() === "") return "missing-customerId";
    if (r.date === "") return "missing-date";
    if (r.date === "2024-02-30") return "invalid-date";
    if (r.qty === "abc") return "invalid-quantity";
    if (r.qty === "") return "missing-quantity";
    if (r.price === "") return "missing-unitPrice";
    if (r.price === "x") return "invalid-unitPrice";
    return null;
  };
  /** Cancelled under the default prefix "C": starts with C, something follows, and it is not a letter. */
  const cancelled = (id: string) => id.length > 1 && id[0] === "C" && !/[A-Za-z]/.test(id[1]);

  it("both paths agree; accepted + rejected = rows read, per reason; returns carry the sign bit exactly when quantity < 0, the invoice is cancelled or the product is negative", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rows) => {
        const text = ["customer,date,qty,price,invoice", ...rows.map((r) => [r.customer, r.date, r.qty, r.price, r.invoice].join(","))].join("\n");
        const { table, report } = await readBoth(text, { mode: "lenient" });
        expect(report.accepted + report.rejected).toBe(report.rowsRead);
        expect(report.rowsRead).toBe(rows.length);
        const expectedReasons = new Map<string, number>();
        for (const r of rows) {
          const why = reasonOf(r);
          if (why !== null) expectedReasons.set(why, (expectedReasons.get(why) ?? 0) + 1);
        }
        expect(new Map(report.rejectedByReason.map((x) => [x.reason as string, x.count]))).toEqual(expectedReasons);
        const kept = rows.filter((r) => reasonOf(r) === null);
        expect(table.length).toBe(kept.length);
        let returns = 0;
        let cancels = 0;
        kept.forEach((r, i) => {
          const q = Number(r.qty);
          const product = q * Number(r.price);
          const isReturn = q < 0 || cancelled(r.invoice) || product < 0;
          const a = table.amount[i];
          expect(a < 0 || Object.is(a, -0)).toBe(isReturn);
          expect(Math.abs(a - (isReturn ? -Math.abs(product) : product))).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(product)));
          if (isReturn) returns++;
          if (cancelled(r.invoice)) cancels++;
        });
        expect([report.returns, report.cancellations]).toEqual([returns, cancels]);
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});
