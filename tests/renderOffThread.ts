/**
 * Preloaded into every test process (tools/testCli.ts) after fastTestProcess.ts: the offline plan's
 * renders run in one worker thread (renderThread.ts) instead of the test thread.
 *
 * Why: node:test's harness keeps an async hook with a destroy callback enabled for the whole run, and
 * while one is, V8 tracks the destruction of every promise. A render makes hundreds of thousands of
 * them; in the test thread that tracking and the garbage it leaves took about a third of the suite's
 * time. A worker thread has no such hook. The renders are the same code; parsing and validation stay in
 * the test thread, so a ConfigError still never reaches the runtime.
 */
import Module from "node:module";
import { Worker } from "node:worker_threads";
import * as path from "node:path";
import * as offline from "../tools/plan/offlinePlan";
import { ConfigError } from "../infra/config";
import { CommandError, UsageError } from "../tools/cli";
import { parseStackFile } from "../tools/plan/stackFile";

type Answer = { id: number; plan?: unknown; error?: { name: string; message: string; problems?: string[] } };

let worker: Worker | undefined;
let next = 0;
const pending = new Map<number, { resolve: (plan: unknown) => void; reject: (error: Error) => void }>();

/** The error as the test thread would have seen it: its class where a test asks for it, its message always. */
function rebuilt(e: NonNullable<Answer["error"]>): Error {
    if (e.name === "ConfigError" && e.problems) return new ConfigError(e.problems);
    if (e.name === "CommandError") return new CommandError(e.message);
    if (e.name === "UsageError") return new UsageError(e.message);
    return new Error(e.message);
}

function thread(): Worker {
    if (worker) return worker;
    worker = new Worker(path.join(__dirname, "renderThread.ts"), { execArgv: ["--import", "tsx"] });
    worker.unref();
    worker.on("message", (answer: Answer) => {
        const waiting = pending.get(answer.id)!;
        pending.delete(answer.id);
        if (pending.size === 0) worker!.unref();
        if (answer.error) waiting.reject(rebuilt(answer.error));
        else waiting.resolve(answer.plan);
    });
    const fail = (error: Error) => {
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
        worker = undefined;
        fail(new Error(`the render thread exited (code ${code}) with renders pending`));
    });
    return worker;
}

function call<T>(fn: "renderConfig" | "renderHub", args: unknown[]): Promise<T> {
    const id = next++;
    const w = thread();
    w.ref();
    return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (plan: unknown) => void, reject });
        w.postMessage({ id, fn, args });
    });
}

/**
 * Every module that requires the offline plan in this thread (tests, printPlans, the snapshots) gets
 * it with its renders sent to the worker; esbuild's exports are getters, so they cannot be reassigned.
 */
const offThread: typeof offline = {
    ...offline,
    renderConfig: (...args) => call("renderConfig", args),
    renderHub: (...args) => call("renderHub", args),
    renderPlan: async (stack, file) => offThread.renderConfig(parseStackFile(stack, file)),
};
// The module's own exports object, as require gives it to every caller (import * makes a copy).
const required: unknown = require("../tools/plan/offlinePlan");
const loader = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const load = loader._load;
loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean) {
    const loaded = load.call(this, request, parent, isMain);
    return loaded === required ? offThread : loaded;
};
