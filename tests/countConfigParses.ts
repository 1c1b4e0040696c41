/**
 * Loaded with `node --import` into a command under test: counts the stack-configuration parses the
 * command makes (infra/config.ts publishes one message per parse) and reports them on stderr at exit.
 */
import { subscribe } from "node:diagnostics_channel";

let parses = 0;
subscribe("aoai:config:parse", () => parses++);
process.on("exit", () => process.stderr.write(`config parses: ${parses}\n`));
