/** npm run snapshots: rewrites tests/snapshots/<stack>.plan.json and .plan.txt for every stack. */
import { writeFileSync } from "fs";
import * as path from "path";
import { ExitCode, out, parseCommandLine, runCommand } from "./cli";
import { RepoRoot, stackNames } from "./repo";
import { renderSnapshot, snapshotFiles } from "./snapshots";

const Usage = "usage: npm run snapshots    rewrite tests/snapshots/<stack>.plan.json and .plan.txt for every stack";

runCommand("snapshots", async (argv) => {
    if (parseCommandLine(argv, {}, 0).help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    for (const stack of stackNames()) {
        const files = snapshotFiles(stack);
        writeFileSync(files.json, renderSnapshot(stack, "json"));
        writeFileSync(files.text, renderSnapshot(stack, "text"));
        await out(`wrote ${path.relative(RepoRoot, files.json)} and ${path.relative(RepoRoot, files.text)}\n`);
    }
    return ExitCode.Ok;
});
