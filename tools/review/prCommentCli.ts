/**
 * npm run -s pr-comment -- <stack> --diff <plan-diff.txt> --plan <plan.md>
 *
 * Prints the pull-request comment for one stack, under GitHub's limit on a comment (prComment.ts).
 * Exit codes: 0 printed; 2 usage or input error.
 */
import { readFileSync } from "fs";
import { ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { composeComment } from "./prComment";

const Usage = [
    "usage: npm run -s pr-comment -- <stack> --diff <plan-diff.txt> --plan <plan.md>",
    "  prints the plan diff and the plan (npm run -s plan -- <stack> --markdown) as one comment, cut to fit",
    "  GitHub's 65,536-character limit; what is left out is named, and is in the job summary",
].join("\n");

function readText(option: string, file: string | undefined): string {
    if (file === undefined) throw new UsageError(`${option} <file> is required`);
    try {
        return readFileSync(file, "utf8");
    } catch (err) {
        throw new UsageError(`${option} ${file}: ${(err as Error).message}`);
    }
}

runCommand("pr-comment", async (argv) => {
    const { values, positionals, help } = parseCommandLine(argv, { diff: { type: "string", value: "file" }, plan: { type: "string", value: "file" } }, 1);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    const stack = positionals[0];
    if (stack === undefined) throw new UsageError("name the stack");
    await out(composeComment({ stack, diff: readText("--diff", values.diff), planMarkdown: readText("--plan", values.plan) }));
    return ExitCode.Ok;
});
