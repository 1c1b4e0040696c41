/**
 * The pull-request comment for one stack: its plan diff, then its plan (diagram and every input), cut
 * to fit GitHub's limit on a comment (65,536 characters; a longer one is refused and no comment
 * appears). What does not fit is named, and the job summary, which holds the whole of both, is pointed
 * to: the diff is cut by lines, then the plan's inputs go, then its full diagram; the summary diagram stays.
 */

/** GitHub refuses issue and pull-request comments longer than this many characters. */
export const GitHubCommentLimit = 65_536;

export interface CommentParts {
    stack: string;
    /** The plan diff as plan-diff prints it. */
    diff: string;
    /** The plan as `plan --markdown` prints it: the summary diagram, then folded blocks of the full diagram and every input. */
    planMarkdown: string;
}

const Summary = "the job summary of this run";

function fenced(lines: string[]): string {
    return ["```", ...lines, "```"].join("\n");
}

/**
 * The diff's lines that fit in `budget` characters. What callers see, and every dangerous or warning
 * resource line, stay; indented property details go first (informational ones before the rest), then
 * informational resource lines; if even that is too long, the tail is cut by lines. A closing line
 * says how many lines the job summary has beyond these.
 */
function diffSection(diff: string, budget: number): string {
    const lines = diff.trimEnd().split("\n");
    if (fenced(lines).length <= budget) return fenced(lines);
    const detail = (l: string) => l.startsWith("      ");
    const info = (l: string) => /^( {6})?INFO /.test(l);
    // Lines to drop in turn, least telling first (informational details, other details, informational
    // resources), each kind from the bottom up.
    const indices = (keep: (l: string) => boolean) => lines.map((l, i) => (keep(l) ? i : -1)).filter((i) => i >= 0).reverse();
    const queue = [...indices((l) => detail(l) && info(l)), ...indices((l) => detail(l) && !info(l)), ...indices((l) => !detail(l) && info(l))];
    const dropped = new Set<number>();
    const kept = () => [...lines.filter((_, i) => !dropped.has(i)), `... ${dropped.size} more lines in ${Summary}`];
    // The fenced length, kept as lines go: the lines' lengths, a newline each, the fences and the closing line.
    let size = lines.reduce((sum, l) => sum + l.length + 1, 0) + 8 + `... ${lines.length} more lines in ${Summary}`.length;
    for (const i of queue) {
        if (size <= budget) break;
        dropped.add(i);
        size -= lines[i].length + 1;
    }
    if (fenced(kept()).length <= budget) return fenced(kept());
    const rest = lines.filter((_, i) => !dropped.has(i));
    const cut: string[] = [];
    for (const line of rest) {
        if (fenced([...cut, line, `... ${lines.length - cut.length - 1} more lines in ${Summary}`]).length > budget) break;
        cut.push(line);
    }
    return fenced([...cut, `... ${lines.length - cut.length} more lines in ${Summary}`]);
}

export function composeComment(parts: CommentParts, limit: number = GitHubCommentLimit): string {
    const header = `### Plan diff: ${parts.stack}`;
    // The diff gets at most half, so the diagram has room beside a long diff.
    const diff = diffSection(parts.diff, Math.floor(limit / 2) - header.length - 2);
    const head = `${header}\n${diff}\n`;
    const plan = parts.planMarkdown.trimEnd();
    const note = (what: string) => `\n_${what} left out to fit GitHub's ${limit.toLocaleString("en-US")}-character limit on a comment: see ${Summary}._\n`;
    if (head.length + plan.length + 1 <= limit) return `${head}${plan}\n`;
    // The plan is the summary diagram, then two folded sections: the full diagram, then every input.
    const folds = [...plan.matchAll(/<details>/g)].map((m) => m.index!);
    const upTo = (at: number | undefined) => (at === undefined ? "" : plan.slice(0, at).trimEnd());
    const withFullDiagram = `${head}${upTo(folds[1])}\n${note("Every resource and input is")}`;
    if (folds.length > 1 && withFullDiagram.length <= limit) return withFullDiagram;
    const withSummary = `${head}${upTo(folds[0])}\n${note("The full diagram and every resource and input are")}`;
    if (folds.length > 0 && upTo(folds[0]) && withSummary.length <= limit) return withSummary;
    return `${head}${note("The plan (diagrams and every input) is")}`;
}
