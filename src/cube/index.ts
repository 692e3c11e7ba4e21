/**
 * Public surface of the `cube` analytic: any measure (revenue, orders, customers, new
 * customers, average order value, items, profit) by any dimensions (time at a grain, columns,
 * joined dimension tables) with SQL-style ROLLUP / CUBE / GROUPING SETS subtotals, as a tidy
 * table; and the sales funnel (lead → opportunity → won) by attributes. See `docs/cube.md`.
 * @module
 */
export { cube, cubeColumns, CUBE_DEFAULTS, CUBE_MEASURES } from "./cube.js";
export type { CubeColumnDimension, CubeDimension, CubeLookupDimension, CubeTimeDimension, CubeValues, CubeMeasure, CubeOptions, CubeResult, CubeRow, TimeGrain } from "./cube.js";
export { salesFunnel, SALES_FUNNEL_DEFAULTS } from "./funnel.js";
export type { FunnelGroup, FunnelStage, Opportunity, SalesFunnelOptions, SalesFunnelResult } from "./funnel.js";
