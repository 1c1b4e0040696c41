/**
 * Bounded input: an oversized stack file is refused before it is parsed, long values before any
 * pattern runs, YAML is read as the Pulumi CLI reads it (duplicate keys refused, merge keys merged),
 * and one mistake never hides the file's others.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { ConfigError } from "../infra/config";
import { checkEmail } from "../infra/core/validators";
import { CommandError } from "../tools/cli";
import { MaxStackFileBytes, parseStackFile, readStackFile } from "../tools/plan/stackFile";

function stackFile(text: string): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "aoai-limits-")), "Pulumi.test.yaml");
    writeFileSync(file, text);
    return file;
}

const valid = ["config:", "  aoai:location: eastus", "  aoai:namePrefix: demo", '  aoai:deployments: [{name: chat, model: gpt-4o-mini, version: "2099-07-18", sku: Standard, capacity: 5}]'];

function problemsOf(text: string): string[] {
    try {
        parseStackFile("test", readStackFile(stackFile(text)));
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
    return assert.fail("expected the stack file to be refused");
}

describe("stack files of any size", () => {
    it("refuses a file over 1 MiB by its size, before reading it as YAML", () => {
        // Valid YAML, so only the size check can refuse it; a 50 MB file took minutes in the YAML parser.
        const file = stackFile(["config:", "  aoai:tags:", ...Array.from({ length: 80_000 }, (_, i) => `    tag-number-${i}: value`)].join("\n"));
        assert.throws(() => readStackFile(file), (err: unknown) => err instanceof CommandError && /is \d+ bytes; a stack file holds at most 1048576 bytes/.test(err.message));
        assert.equal(MaxStackFileBytes, 1024 * 1024);
    });

    it("refuses a key given twice in one mapping, as the Pulumi CLI does", () => {
        const file = stackFile([...valid, "  aoai:location: westus"].join("\n"));
        assert.throws(() => readStackFile(file), (err: unknown) => err instanceof CommandError && err.message.includes("the key 'aoai:location' is given twice in one mapping"));
    });

    it("merges YAML merge keys, as the Pulumi CLI's reader does", () => {
        const file = stackFile([
            "shared: &chat {model: gpt-4o-mini, version: \"2099-07-18\", sku: Standard, capacity: 5}",
            "config:",
            "  aoai:location: eastus",
            "  aoai:namePrefix: demo",
            "  aoai:deployments:",
            "    - {<<: *chat, name: chat}",
            "    - {<<: *chat, name: chat-2, capacity: 7}",
        ].join("\n"));
        const config = parseStackFile("test", readStackFile(file));
        assert.deepEqual(config.deployments.map((d) => [d.name, d.model, d.capacity]), [["chat", "gpt-4o-mini", 5], ["chat-2", "gpt-4o-mini", 7]]);
    });
});

describe("long values", () => {
    it("an e-mail address is checked for length before its pattern, and the pattern is linear", () => {
        assert.match(checkEmail(`a@${"b.".repeat(500_000)}c`)!, /is 1000003 characters long; an e-mail address has at most 254/);
        // Near the limit, a string of dots that would make a backtracking pattern quadratic.
        assert.match(checkEmail(`a@${".".repeat(250)}`)!, /is not an e-mail address/);
        assert.equal(checkEmail("platform-team@contoso.com"), undefined);
        assert.match(checkEmail("a@b..c")!, /is not an e-mail address/);
    });

    it("any text setting is refused by its length before a pattern sees it", () => {
        const [problem] = problemsOf([...valid, `  aoai:customSubdomain: ${"a".repeat(5000)}`].join("\n"));
        assert.equal(problem, "aoai:customSubdomain: is 5000 characters long; a setting here has at most 4096");
    });
});

describe("one mistake does not hide the others", () => {
    it("a key without the aoai: prefix is reported with the file's other problems", () => {
        const problems = problemsOf(["config:", "  location: eastus", "  aoai:namePrefix: Demo", valid[3]].join("\n"));
        assert.deepEqual(problems.map((p) => p.split(":")[0]).sort(), ["aoai", "aoai", "location"]);
        assert.ok(problems.includes("location: has no namespace; write it as aoai:location"));
        assert.ok(problems.some((p) => p.startsWith("aoai:namePrefix: ")));
    });

    it("a key that differs from a known one only in case is refused, naming the one meant", () => {
        const problems = problemsOf([...valid, "  aoai:NamePrefix: demo"].join("\n"));
        assert.deepEqual(problems, ["aoai:NamePrefix: unknown key; did you mean namePrefix?"]);
    });
});
