/**
 * npm run -s stacks                   every stack as a JSON list (stacks/, then the hub's in hub/)
 * npm run -s stacks -- --route <stack>  how to deploy it, as JSON: project, workDir, runsOn, concurrency
 * npm run -s stacks -- --project <stack>  its Pulumi project and where pulumi runs, as JSON
 *
 * What the workflows read instead of lists of stacks to keep in step (route.ts says how each is worked
 * out). Exit codes: 0 printed; 1 a stack that cannot be deployed as it stands; 2 usage error.
 */
import { ExitCode, UsageError, out, parseCommandLine, runCommand } from "../cli";
import { projectOf, stackList, stackRoute } from "./route";

const Usage = [
    "usage: npm run -s stacks [-- --route <stack>]",
    "  (no option)       every stack as a JSON list: the environments in stacks/, then the hubs in hub/",
    "  --route <stack>   how the deploy workflow runs it: {stack, project, workDir, runsOn, concurrency[, subscriptionId]}",
    "  --project <stack> its Pulumi project and where pulumi runs: {stack, project, workDir}",
].join("\n");

runCommand("stacks", async (argv) => {
    const { values, help } = parseCommandLine(argv, { route: { type: "string", value: "stack" }, project: { type: "string", value: "stack" } }, 0);
    if (help) {
        await out(`${Usage}\n`);
        return ExitCode.Ok;
    }
    if (values.route !== undefined && values.project !== undefined) throw new UsageError("--route and --project exclude each other");
    const answer = values.route !== undefined ? stackRoute(values.route) : values.project !== undefined ? projectOf(values.project) : stackList();
    await out(`${JSON.stringify(answer)}\n`);
    return ExitCode.Ok;
});
