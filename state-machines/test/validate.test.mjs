// Every state machine definition passes asl-validator with its path and ARN checks on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const aslValidator = require("asl-validator");
const folder = join(dirname(fileURLToPath(import.meta.url)), "..");
const definitions = readdirSync(folder).filter((name) => name.endsWith(".asl.json"));

test("the folder holds the three state machines", () => {
  assert.deepEqual(definitions.sort(), ["event-announcement.asl.json", "subscription.asl.json", "ticket-issuance.asl.json"]);
});

for (const name of definitions) {
  test(`${name} is valid ASL`, () => {
    const definition = JSON.parse(readFileSync(join(folder, name), "utf8"));
    const { isValid, errorsText } = aslValidator(definition, { checkPaths: true, checkArn: true });
    assert.ok(isValid, errorsText("\n"));
  });
}

test("a broken definition is rejected, so the check above can fail", () => {
  const { isValid } = aslValidator({ StartAt: "Missing", States: { Only: { Type: "Pass", Next: "Nowhere" } } });
  assert.equal(isValid, false);
});
