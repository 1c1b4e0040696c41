using System.Text.Json;
using System.Text.RegularExpressions;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The rights rows: can the identity that runs `pulumi up` write every type the plan writes? ARM's
/// permissions list gives the caller's effective grants at the plan's resource group (or, before the
/// group exists, the subscription): an action is allowed when one grant lists it in <c>actions</c> and
/// that same grant's <c>notActions</c> does not exclude it. Contributor cannot write role assignments or
/// locks, which prod needs: the row says so before `pulumi up` fails halfway.
/// </summary>
internal static class RightsChecks
{
    private const string Api = "2022-04-01";

    /// <summary>Peering two networks needs this on each of them, beside the peering's own write.</summary>
    private const string PeerAction = "Microsoft.Network/virtualNetworks/peer/action";
    private const string PeeringType = "Microsoft.Network/virtualNetworks/virtualNetworkPeerings";

    public static async Task<List<CheckResult>> CheckAsync(Arm arm, string sub, PreflightPlan plan, CancellationToken cancellationToken)
    {
        var own = plan.Resources.FirstOrDefault(r => r.ArmType == "Microsoft.Resources/subscriptions/resourceGroups")?.Name;
        // A spoke also writes into its hub's resource group (the hub's side of the peering, links on the
        // hub's zones): those rights are checked where they apply, not at the stack's own group.
        bool Elsewhere(PlannedResource r) => r.ResourceGroup is not null && own is not null && !r.ResourceGroup.Equals(own, StringComparison.OrdinalIgnoreCase);
        var rows = await CheckGroupAsync(arm, sub, own, null, plan.Resources.Where(r => !Elsewhere(r)).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var other in plan.Resources.Where(Elsewhere).GroupBy(r => r.ResourceGroup!, StringComparer.OrdinalIgnoreCase))
        {
            rows.AddRange(await CheckGroupAsync(arm, sub, other.Key, other.Key, other.ToList(), cancellationToken).ConfigureAwait(false));
        }
        return rows;
    }

    /// <summary>One resource group's rows, one per namespace; <paramref name="foreign"/> names a group the stack does not create, which must exist.</summary>
    private static async Task<List<CheckResult>> CheckGroupAsync(Arm arm, string sub, string? resourceGroup, string? foreign, List<PlannedResource> resources, CancellationToken cancellationToken)
    {
        var needed = resources.Select(r => $"{r.ArmType}/write").ToList();
        if (resources.Any(r => r.ArmType == PeeringType)) needed.Add(PeerAction);
        var byNamespace = needed.Distinct(StringComparer.OrdinalIgnoreCase).GroupBy(a => ResourceTypes.Namespace(a), StringComparer.OrdinalIgnoreCase).ToList();
        var subject = (string ns) => foreign is null ? ns : $"{ns} in {foreign}";
        List<Grant> grants;
        string scope;
        try
        {
            (grants, scope) = await ReadAsync(arm, sub, resourceGroup, foreign is not null, cancellationToken).ConfigureAwait(false);
        }
        catch (ArmUnreadableException ex)
        {
            return byNamespace.Select(g => CheckResult.CheckFailed("rights", subject(g.Key), null, ex.Message)).ToList();
        }
        catch (ForeignGroupMissingException)
        {
            return byNamespace.Select(g => CheckResult.Fail("rights", subject(g.Key), null, "group-missing", $"the stack writes {Short(g)} into resource group {foreign}, which does not exist", $"deploy what owns {foreign} first (for a hub: pulumi up --stack <hub> --cwd hub, docs/hub.md)")).ToList();
        }
        return byNamespace.Select(g =>
        {
            var missing = g.Where(action => !grants.Any(grant => grant.Allows(action))).ToList();
            return missing.Count == 0
                ? CheckResult.Ok("rights", subject(g.Key), null, $"may write {Short(g)} at {scope}")
                : CheckResult.Fail("rights", subject(g.Key), null, "right-missing", $"the caller may not {string.Join(", ", missing)} at {scope}; pulumi up would stop there with AuthorizationFailed", Fix(missing));
        }).ToList();
    }

    private static string Short(IEnumerable<string> actions) => string.Join(", ", actions.Select(a => a.EndsWith("/write", StringComparison.OrdinalIgnoreCase) ? a[(ResourceTypes.Namespace(a).Length + 1)..^"/write".Length] : a[(ResourceTypes.Namespace(a).Length + 1)..]));

    /// <summary>The built-in role that grants what is missing (role definitions as ARM returns them).</summary>
    private static string Fix(List<string> missing)
    {
        var roles = new List<string>();
        if (missing.Any(a => a.Equals("Microsoft.Authorization/roleAssignments/write", StringComparison.OrdinalIgnoreCase)))
        {
            roles.Add("Role Based Access Control Administrator (or User Access Administrator) for Microsoft.Authorization/roleAssignments/write; Contributor excludes it");
        }
        if (missing.Any(a => a.Equals("Microsoft.Authorization/locks/write", StringComparison.OrdinalIgnoreCase)))
        {
            roles.Add("User Access Administrator or Owner for Microsoft.Authorization/locks/write (or aoai:protection.lock: false)");
        }
        if (missing.Any(a => !a.StartsWith("Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase)))
        {
            roles.Add("Contributor for the resource writes");
        }
        return $"give the identity that runs pulumi up, on the subscription or the stack's resource group: {string.Join("; ", roles)}";
    }

    private static async Task<(List<Grant> Grants, string Scope)> ReadAsync(Arm arm, string sub, string? resourceGroup, bool mustExist, CancellationToken cancellationToken)
    {
        if (resourceGroup is not null)
        {
            var path = $"{sub}/resourcegroups/{resourceGroup}/providers/Microsoft.Authorization/permissions";
            var (first, items) = await arm.ListAsync(path, Api, cancellationToken).ConfigureAwait(false);
            if (first.Ok)
            {
                return (items.Select(Grant.From).ToList(), $"resource group {resourceGroup}");
            }
            if (first.Status == 404 && mustExist)
            {
                throw new ForeignGroupMissingException();
            }
            if (first.Status != 404)
            {
                throw new ArmUnreadableException($"permissions: HTTP {first.Status} {first.ErrorCode} (request id {first.RequestId ?? "-"})");
            }
        }
        // Before the group exists, the subscription's grants are the caller's.
        var (answer, grants) = await arm.ListAsync($"{sub}/providers/Microsoft.Authorization/permissions", Api, cancellationToken).ConfigureAwait(false);
        return answer.Ok
            ? (grants.Select(Grant.From).ToList(), "the subscription")
            : throw new ArmUnreadableException($"permissions: HTTP {answer.Status} {answer.ErrorCode} (request id {answer.RequestId ?? "-"})");
    }

    /// <summary>A resource group the stack writes into but does not create is not there.</summary>
    private sealed class ForeignGroupMissingException : Exception;

    /// <summary>One entry of the permissions list: its notActions exclude only within itself.</summary>
    private sealed record Grant(List<Regex> Actions, List<Regex> NotActions)
    {
        public bool Allows(string action) => Actions.Any(a => a.IsMatch(action)) && !NotActions.Any(n => n.IsMatch(action));

        public static Grant From(JsonElement entry) => new(Patterns(entry, "actions"), Patterns(entry, "notActions"));

        private static List<Regex> Patterns(JsonElement entry, string name) =>
            entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.String)
                    .Select(p => new Regex($"^{Regex.Escape(p.GetString()!).Replace("\\*", ".*", StringComparison.Ordinal)}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    .ToList()
                : [];
    }
}
