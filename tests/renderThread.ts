/**
 * The worker thread test processes render in (renderOffThread.ts): the real offline plan, one render
 * at a time, answering each request with the plan or the error's class, message and problems.
 */
import { parentPort } from "node:worker_threads";
import { startFast } from "../tools/plan/fastStart";

startFast({ keepSourceMaps: true });
// After startFast: the SDK loads with the plan command's savings.
const offline = require("../tools/plan/offlinePlan") as typeof import("../tools/plan/offlinePlan");

type Request = { id: number; fn: "renderConfig" | "renderHub"; args: unknown[] };

let queue = Promise.resolve();
parentPort!.on("message", (request: Request) => {
    queue = queue.then(async () => {
        try {
            const render = offline[request.fn] as (...args: unknown[]) => Promise<unknown>;
            parentPort!.postMessage({ id: request.id, plan: await render(...request.args) });
        } catch (error) {
            const e = error as Error & { problems?: string[] };
            parentPort!.postMessage({ id: request.id, error: { name: e?.constructor?.name ?? "Error", message: String(e?.message ?? e), problems: e?.problems } });
        }
    });
});
