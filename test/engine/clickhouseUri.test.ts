/** clickHouseSourceFromUri: the CLI's `--source clickhouse://...` form (no server needed). */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { clickHouseSourceFromUri } from "../../src/engine/index.js";

describe("clickHouseSourceFromUri", () => {
  it("reads host, port, database.table and credentials; defaults the HTTP port", () => {
    expect(clickHouseSourceFromUri("clickhouse://10.0.0.5:9123/sales.tx")).toEqual({ url: "http://10.0.0.5:9123/", table: "sales.tx" });
    expect(clickHouseSourceFromUri("clickhouse://ch.example/tx")).toEqual({ url: "http://ch.example:8123/", table: "tx" });
    expect(clickHouseSourceFromUri("clickhouses://ana:p%40ss@ch.example/db.t")).toEqual({ url: "https://ch.example:8443/", table: "db.t", user: "ana", password: "p@ss" });
  });
  it("refuses other schemes and addresses without a table, naming the option", () => {
    for (const bad of ["http://h:8123/t", "clickhouse://h:8123/", "clickhouse://h/a.b.c", "not a url"]) {
      expect(() => clickHouseSourceFromUri(bad), bad).toThrow(InvalidOptionError);
    }
    expect(() => clickHouseSourceFromUri("clickhouse://h/")).toThrow(/source/);
  });
});
