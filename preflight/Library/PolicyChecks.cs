using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The policy rows: would Azure Policy deny a resource the plan creates? ARM's policy restrictions check
/// evaluates a resource's known content (type, name, location, tags) against every assignment at the
/// subscription and above, and names each denying assignment and the field it tested: an organisation's
/// allowed locations, required tags or forbidden types, which `pulumi up` would otherwise meet halfway as
/// RequestDisallowedByPolicy. Assignments on the stack's own resource group cannot be asked before it
/// exists; child resources (deployments, subnets) are not asked.
/// </summary>
internal static class PolicyChecks
{
    private const string Api = "2023-03-01";

    /// <summary>Resources policy is asked about: the plan's top-level ones with a location.</summary>
    public static bool Applies(PlannedResource r) =>
        r.Location is not null && (r.ArmType.Count(c => c == '/') == 1 || r.ArmType.Equals("Microsoft.Resources/subscriptions/resourceGroups", StringComparison.OrdinalIgnoreCase));

    public static async Task<List<CheckResult>> CheckAsync(Arm arm, string sub, IEnumerable<PlannedResource> resources, CancellationToken cancellationToken)
    {
        var groups = resources.Where(Applies).GroupBy(r => (r.ArmType, Location: r.Location!.ToLowerInvariant())).ToList();
        var answers = groups.ToDictionary(g => g.Key, g => g.Select(r => AskAsync(arm, sub, r, cancellationToken)).ToList());
        await Task.WhenAll(answers.Values.SelectMany(a => a)).ConfigureAwait(false);
        var rows = new List<CheckResult>();
        foreach (var group in groups)
        {
            var results = answers[group.Key].Select(t => t.Result).ToList();
            var (type, location) = group.Key;
            if (results.FirstOrDefault(r => r.Failure is not null) is { Failure: { } failure })
            {
                rows.Add(CheckResult.CheckFailed("policy", type, location, failure));
                continue;
            }
            var denials = results.SelectMany(r => r.Denials).Distinct().ToList();
            rows.Add(denials.Count == 0
                ? CheckResult.Ok("policy", type, location, $"no assignment denies {string.Join(", ", group.Select(r => r.Name ?? type))}")
                : CheckResult.Fail("policy", type, location, "policy-denied", string.Join("; ", denials),
                    "change what the assignment tests (the location, a tag in aoai:tags, the type), or ask its owner for an exemption for this subscription or resource group"));
        }
        return rows;
    }

    private sealed record Answer(List<string> Denials, string? Failure);

    private static async Task<Answer> AskAsync(Arm arm, string sub, PlannedResource r, CancellationToken cancellationToken)
    {
        var content = new Dictionary<string, object> { ["type"] = r.ArmType, ["location"] = r.Location! };
        if (r.Name is not null) content["name"] = r.Name;
        if (r.Tags.Count > 0) content["tags"] = r.Tags;
        try
        {
            var answer = await arm.PostAsync($"{sub}/providers/Microsoft.PolicyInsights/checkPolicyRestrictions", Api,
                new { resourceDetails = new { resourceContent = content, apiVersion = r.ApiVersion }, includeAuditEffect = false }, cancellationToken).ConfigureAwait(false);
            if (!answer.Ok || answer.Body.ValueKind != JsonValueKind.Object)
            {
                return new([], $"checkPolicyRestrictions for {r.Name ?? r.ArmType}: HTTP {answer.Status} {answer.ErrorCode} (request id {answer.RequestId ?? "-"}); the caller needs Microsoft.PolicyInsights/checkPolicyRestrictions/action");
            }
            return new(Denials(answer.Body, r), null);
        }
        catch (ArmUnreadableException ex)
        {
            return new([], ex.Message);
        }
    }

    /// <summary>Each denying assignment, with the field it tested and its reason.</summary>
    private static List<string> Denials(JsonElement body, PlannedResource r)
    {
        var denials = new List<string>();
        foreach (var evaluation in Items(body, "contentEvaluationResult", "policyEvaluations"))
        {
            var effect = evaluation.TryGetProperty("effectDetails", out var e) ? ModelChecks.Text(e, "policyEffect") : "";
            if (!effect.Equals("Deny", StringComparison.OrdinalIgnoreCase)) continue;
            var assignment = evaluation.TryGetProperty("policyInfo", out var info) ? ModelChecks.Text(info, "policyAssignmentId") : "";
            var details = evaluation.TryGetProperty("evaluationDetails", out var d) ? d : default;
            var field = Items(details, "evaluatedExpressions").Select(x => ModelChecks.Text(x, "path")).FirstOrDefault(p => p.Length > 0) ?? "the resource";
            denials.Add($"{r.Name ?? r.ArmType}: {field} denied by {Short(assignment)}{(ModelChecks.Text(details, "reason") is { Length: > 0 } why ? $" ({why})" : "")}");
        }
        foreach (var restriction in Items(body, "fieldRestrictions"))
        {
            var field = ModelChecks.Text(restriction, "field");
            foreach (var rule in Items(restriction, "restrictions").Where(x => ModelChecks.Text(x, "result").Equals("Deny", StringComparison.OrdinalIgnoreCase)))
            {
                var assignment = rule.TryGetProperty("policy", out var p) ? ModelChecks.Text(p, "policyAssignmentId") : "";
                denials.Add($"{r.Name ?? r.ArmType}: {field} denied by {Short(assignment)}{(ModelChecks.Text(rule, "reason") is { Length: > 0 } why ? $" ({why})" : "")}");
            }
        }
        return denials;
    }

    /// <summary>The assignment's id (its scope and name), or a note when Azure names none.</summary>
    private static string Short(string assignmentId) => assignmentId.Length == 0 ? "an assignment Azure does not name" : $"assignment {assignmentId}";

    private static IEnumerable<JsonElement> Items(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return [];
        }
        return element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
    }
}
