/**
 * The budget section: a monthly Cost Management budget on the environment's resource group.
 * Key `budget` (`amount`, `startDate`, `contactEmails`, `notifications`).
 */
import { ConfigSection, Json, Reader, isEmptyMapping } from "./configReader";
import { checkEmail } from "./validators";

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
     * Required. First day of a month, `YYYY-MM-01`, pinned in the stack: a start computed from the
     * clock would change every month, and Azure refuses to change a budget's start in place.
     */
    startDate: string;
    /** Required. Who gets the notifications (and the action group, when alerts are on). */
    contactEmails: string[];
    /** Optional. Defaults to 80% and 100% actual, 110% forecast. Azure allows five. */
    notifications: BudgetNotification[];
}

const Fields = ["amount", "startDate", "contactEmails", "notifications"] as const;
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

export const budgetSection: ConfigSection<{ budget?: BudgetConfig }> = {
    keys: { budget: { fields: Fields } },
    read(r, get) {
        const value = get("budget");
        if (value === undefined || isEmptyMapping(value)) return {};
        const b = r.object("budget", value);
        if (!b) return undefined;
        r.unknownKeys("budget", b, Fields);
        const amount = typeof b.amount === "number" && b.amount > 0 && b.amount <= 1e9 ? b.amount : (r.report("budget.amount", `${JSON.stringify(b.amount)} is not allowed; expected a positive amount per month, e.g. 500`), undefined);
        const startDate = r.string("budget.startDate", b.startDate, {
            pattern: /^20\d\d-(0[1-9]|1[0-2])-01$/,
            allowed: "the first day of a month as YYYY-MM-01, pinned in the stack (Azure cannot move a budget's start later)",
        });
        const contactEmails = b.contactEmails === undefined ? (r.report("budget.contactEmails", "is required; list who is told when spend crosses a threshold"), []) : r.stringList("budget.contactEmails", b.contactEmails, checkEmail);
        if (b.contactEmails !== undefined && contactEmails.length === 0) r.report("budget.contactEmails", "is empty; list at least one address");
        const notifications = readNotifications(r, b.notifications);
        if (!amount || !startDate || contactEmails.length === 0 || !notifications) return undefined;
        return { budget: { amount, startDate, contactEmails, notifications } };
    },
};
