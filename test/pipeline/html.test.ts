import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/index.js";

describe("escapeHtml", () => {
  it("escapes the five HTML-special characters and nothing else", () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe("&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
    expect(escapeHtml("café 東京 = ok")).toBe("café 東京 = ok");
  });
  it("stringifies numbers; null and undefined become the empty string", () => {
    expect(escapeHtml(3.5)).toBe("3.5");
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(undefined)).toBe("");
  });
});
