/**
 * Preloaded into every test process (tools/testCli.ts): the plan command's start-up savings, so the
 * many test files that load the Pulumi SDK do not each pay for modules it never uses; source maps stay
 * on, so a failure points at its TypeScript line.
 */
import { startFast } from "../tools/plan/fastStart";

startFast({ keepSourceMaps: true });
