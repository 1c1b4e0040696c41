/**
 * Start-up cost of the offline commands. Measured with `npm run bench`: loading @pulumi/pulumi takes
 * about 0.55 s, and 0.4 s of that is three modules its closure serializer (turning JavaScript
 * functions into deployable code, which this project never does) requires at load time:
 * @npmcli/arborist, typescript and normalize-package-data. Here a require() of those returns a
 * stand-in that loads the real module on first use, so nothing changes but when the cost is paid.
 * Node's compile cache (22.1+) keeps the V8 bytecode of every module between runs.
 */
import { readFileSync } from "node:fs";
import Module from "node:module";
import * as path from "node:path";

const Deferred = new Set(["@npmcli/arborist", "typescript", "normalize-package-data"]);

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
type CompileHook = (this: unknown, module: { _compile(source: string, filename: string): void }, filename: string) => void;

/** A module that is loaded when first touched; `default` of a CommonJS module is the module itself. */
function lazyModule(load: () => Record<PropertyKey, unknown>): unknown {
    let real: Record<PropertyKey, unknown> | undefined;
    const target = () => (real ??= load());
    // An arrow function: callable, and without the non-configurable `prototype` a Proxy would have to report.
    return new Proxy((() => undefined) as unknown as Record<PropertyKey, unknown>, {
        // Interop helpers (TypeScript's, tsx's) ask for __esModule first; answering it loads nothing.
        get: (_, key) => (key === "__esModule" ? true : key === "default" && !target().__esModule ? target() : target()[key]),
        has: (_, key) => key === "__esModule" || key in target(),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_, key) => {
            // tsx also looks for Node's "module.exports" interop getter on every module it loads.
            if (key === "module.exports") return undefined;
            const descriptor = key === "__esModule" ? { value: true, writable: false, enumerable: false } : Reflect.getOwnPropertyDescriptor(target(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
        apply: (_, self, args) => (target() as unknown as (...a: unknown[]) => unknown).apply(self, args),
    });
}

let installed = false;

/**
 * Call before the Pulumi SDK is first imported. `keepSourceMaps` is for test processes, whose failures
 * must point at TypeScript lines; the renders there capture no stack traces anyway (offlinePlan.ts).
 */
export function startFast({ keepSourceMaps = false }: { keepSourceMaps?: boolean } = {}): void {
    if (installed) return;
    installed = true;
    (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    // tsx turns source maps on; the SDK records a stack trace for every resource it registers, and
    // mapping each one back to TypeScript took a third of a plan's time.
    if (!keepSourceMaps) process.setSourceMapsEnabled(false);
    // tsx reads and scans every .js file it is asked to load, in case it is ES module syntax to
    // transform; the SDK's 600 CommonJS files under node_modules need no transform.
    const extensions = (Module as unknown as { _extensions: Record<string, CompileHook> })._extensions;
    const tsxJs = extensions[".js"];
    extensions[".js"] = function (module, filename) {
        if (!filename.includes(`${path.sep}node_modules${path.sep}`)) return tsxJs.call(this, module, filename);
        module._compile(readFileSync(filename, "utf8").replace(/^\uFEFF/, ""), filename);
    };
    const internals = Module as unknown as { _load: Load };
    const load = internals._load;
    internals._load = function (request, parent, isMain) {
        if (Deferred.has(request)) {
            return lazyModule(() => load.call(this, request, parent, isMain) as Record<PropertyKey, unknown>);
        }
        return load.call(this, request, parent, isMain);
    };
}
