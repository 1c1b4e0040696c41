/**
 * The budget section: a monthly Cost Management budget on the environment's resource group.
 * Key `budget` (`amount`, `startDate`, `contactEmails`, `notifications`).
 */
import { ConfigSection, Json, Reader, isEmptyMapping } from "../core/configReader";
import { checkEmail } from "../core/validators";

export const NotificationKinds = ["Actual", "Forecasted"] as const;

export interface BudgetNotification {
    /** Percent of the amount, 1-1000. */
    threshold: number;
    /** `Actual` spend, or `Forecasted` spend by the end of the month. */
    kind: (typeof NotificationKinds)[number];
}

export interface BudgetConfig {
    /** Required. Monthly amount in the billing currency. */
    amount: number;
    /**
     * Optional. Defaults to the first day of the month of the `pulumi up` that creates the budget.
     * Azure accepts a new budget's start only from the first of the current month to twelve months
     * ahead, and refuses to change an existing budget's start ("Start date of budgets cannot be
     * updated"); it keeps accepting the original start on every later update. So the program sets the
     * start when it creates the budget and never changes it afterwards (ignoreChanges): a stack holds no
     * date that goes stale. An explicit `YYYY-MM-01` is checked against that window.
     */
    startDate: string;
    /** True when the stack named the start; false when it is the month of the first `pulumi up`. */
    startDateFromStack: boolean;
    /** Required. Who gets the notifications (and the action group, when alerts are on). */
    contactEmails: string[];
    /** Optional. Defaults to 80% and 100% actual, 110% forecast. Azure allows five. */
    notifications: BudgetNotification[];
}

const Fields = ["amount", "startDate", "contactEmails", "notifications"] as const;
/** How far ahead Azure lets a new budget start. */
const MaxMonthsAhead = 12;

/** `YYYY-MM-01` of the month `monthsAhead` after `today`'s, in UTC (Cost Management's calendar). */
export function firstOfMonth(today: Date, monthsAhead = 0): string {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + monthsAhead, 1));
    return d.toISOString().slice(0, 10);
}

/** Azure's window for a new budget's start, as of `today`: the first of this month to twelve months on. */
export function checkBudgetStart(startDate: string, today: Date): string | undefined {
    const [earliest, latest] = [firstOfMonth(today), firstOfMonth(today, MaxMonthsAhead)];
    if (startDate < earliest) return `is in the past; Azure creates a budget only from the first of the current month (${earliest}). Remove startDate: the stack then starts the budget in the month it creates it, and never moves the start`;
    if (startDate > latest) return `is more than ${MaxMonthsAhead} months ahead; Azure accepts a start up to ${latest}`;
    return undefined;
}
const DefaultNotifications: BudgetNotification[] = [
    { threshold: 80, kind: "Actual" },
    { threshold: 100, kind: "Actual" },
    { threshold: 110, kind: "Forecasted" },
];
/** Azure's limit on notifications per budget. */
const MaxNotifications = 5;

function readNotifications(r: Reader, value: Json | undefined): BudgetNotification[] | undefined {
    if (value === undefined) return DefaultNotifications;
    const list = r.list("budget.notifications", value);
    if (!list) return undefined;
    if (list.length === 0 || list.length > MaxNotifications) {
        r.report("budget.notifications", `has ${list.length} notifications; Azure allows 1 to ${MaxNotifications} per budget`);
        return undefined;
    }
    const result: BudgetNotification[] = [];
    list.forEach((entry, i) => {
        const path = `budget.notifications[${i}]`;
        const n = r.object(path, entry);
        if (!n) return;
        r.unknownKeys(path, n, ["threshold", "kind"]);
        const threshold = r.integer(`${path}.threshold`, n.threshold, 1, 1000, "percent of the amount");
        const kind = n.kind === undefined ? "Actual" : r.oneOf(`${path}.kind`, n.kind, NotificationKinds);
        if (threshold && kind) result.push({ threshold, kind });
    });
    return result.length === list.length ? result : undefined;
}

export const budgetSection: ConfigSection<{ budget?: BudgetConfig }, { today: Date }> = {
    keys: { budget: { fields: Fields } },
    read(r, get, { today }) {
        const value = get("budget");
        if (value === undefined || isEmptyMapping(value)) return {};
        const b = r.object("budget", value);
        if (!b) return undefined;
        r.unknownKeys("budget", b, Fields);
        const amount = typeof b.amount === "number" && b.amount > 0 && b.amount <= 1e9 ? b.amount : (r.report("budget.amount", `${JSON.stringify(b.amount)} is not allowed; expected a positive amount per month, e.g. 500`), undefined);
        const startDateFromStack = b.startDate !== undefined;
        const explicit = startDateFromStack
            ? r.string("budget.startDate", b.startDate, { pattern: /^20\d\d-(0[1-9]|1[0-2])-01$/, allowed: "the first day of a month as YYYY-MM-01, or no startDate (the month the budget is created)" })
            : undefined;
        const tooEarlyOrLate = explicit === undefined ? undefined : checkBudgetStart(explicit, today);
        if (tooEarlyOrLate) r.report("budget.startDate", `${explicit} ${tooEarlyOrLate}`);
        const startDate = startDateFromStack ? (tooEarlyOrLate ? undefined : explicit) : firstOfMonth(today);
        const contactEmails = b.contactEmails === undefined ? (r.report("budget.contactEmails", "is required; list who is told when spend crosses a threshold"), []) : r.stringList("budget.contactEmails", b.contactEmails, checkEmail);
        if (b.contactEmails !== undefined && contactEmails.length === 0) r.report("budget.contactEmails", "is empty; list at least one address");
        const notifications = readNotifications(r, b.notifications);
        if (!amount || !startDate || contactEmails.length === 0 || !notifications) return undefined;
        return { budget: { amount, startDate, startDateFromStack, contactEmails, notifications } };
    },
};
