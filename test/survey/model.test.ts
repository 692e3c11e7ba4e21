/** parsePlsModelJson: model files read back into the presets, and every bad entry named. */
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "../../src/core/errors.js";
import { acsiModel, ecsiModel, parsePlsModelJson } from "../../src/survey/index.js";

/** The InvalidOptionError thrown by parsing `text`. */
function failure(text: string): InvalidOptionError {
  try {
    parsePlsModelJson(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("no error");
}

const two = (extra: string) => `{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Y"}]${extra}}`;

describe("parsePlsModelJson", () => {
  it("parsePlsModelJson(JSON.stringify(preset)) gives the preset back", () => {
    expect(parsePlsModelJson(JSON.stringify(ecsiModel()))).toEqual(ecsiModel());
    expect(parsePlsModelJson(JSON.stringify(acsiModel(undefined, "B")))).toEqual(acsiModel(undefined, "B"));
  });

  it("parsePlsModelJson keeps an absent mode absent (mode A by default)", () => {
    expect(parsePlsModelJson(two("")).blocks[0]).toEqual({ name: "X", items: ["x"] });
  });

  describe("errors", () => {
    it("names the bad entry: syntax, shape, unknown keys, modes, constructs, cycles", () => {
      const cases: [string, string, unknown][] = [
        ["{blocks:", "model", "{blocks:"],
        ["[]", "model", []],
        [two(',"extra":1'), "model.extra", 1],
        ['{"blocks":{},"paths":[]}', "model.blocks", {}],
        ['{"blocks":[{"name":"X","items":["x"],"mdoe":"B"},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Y"}]}', "model.blocks[0].mdoe", "B"],
        ['{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"],"mode":"C"}],"paths":[{"from":"X","to":"Y"}]}', "model.blocks[1].mode", "C"],
        ['{"blocks":[{"name":"X","items":"x"},{"name":"Y","items":["y"]}],"paths":[]}', "model.blocks[0].items", "x"],
        ['{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["x"]}],"paths":[{"from":"X","to":"Y"}]}', "model.blocks[1].items", "x"],
        ['{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Z"}]}', "model.paths[0].to", "Z"],
        ['{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Y","weight":1}]}', "model.paths[0].weight", 1],
        ['{"blocks":[{"name":"X","items":["x"]},{"name":"Y","items":["y"]}],"paths":[{"from":"X","to":"Y"},{"from":"Y","to":"X"}]}', "model.paths", "X, Y"],
      ];
      for (const [text, option, value] of cases) {
        const e = failure(text);
        expect([e.option, e.value]).toEqual([option, value]);
        expect(e.message.startsWith("parsePlsModelJson:")).toBe(true);
      }
    });
  });
});
