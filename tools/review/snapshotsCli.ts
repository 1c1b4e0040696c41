/** npm run snapshots: rewrites tests/snapshots/<stack>.plan.json and .plan.txt for every stack, the hub's too. */
import { writeFileSync } from "fs";
import * as path from "path";
import { ExitCode, out, parseCommandLine, runCommand } from "../cli";
import { startFast } from "../plan/fastStart";
import { RepoRoot, hubStackNames, stackNames } from "../repo";

const Usage = "usage: npm run snapshots    rewrite tests/snapshots/<stack>.plan.json and .plan.txt for every stack";

runCommand("snapshots", async (argv) => {
    if (parseCommandLine(argv, {}, 0).help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    startFast();
    const { renderSnapshot, snapshotFiles } = await import("./snapshots");
    for (const stack of [...stackNames(), ...hubStackNames()]) {
        const files = snapshotFiles(stack);
        const rendered = await renderSnapshot(stack);
        writeFileSync(files.json, rendered.json);
        writeFileSync(files.text, rendered.text);
        await out(`wrote ${path.relative(RepoRoot, files.json)} and ${path.relative(RepoRoot, files.text)}\n`);
    }
    return ExitCode.Ok;
});
