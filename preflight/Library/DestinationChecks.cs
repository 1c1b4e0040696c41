using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>
/// The destination rows: Azure accepts an event hub or a storage account as a diagnostics destination
/// only in the monitored resource's region, and the offline plan cannot see a region in an id.
/// </summary>
internal static class DestinationChecks
{
    public static async Task<CheckResult> CheckAsync(Arm arm, PlannedDestination destination, CancellationToken cancellationToken)
    {
        var name = destination.ResourceId.Split('/')[^1];
        var location = destination.Account.Location;
        var apiVersion = destination.ResourceId.Contains("/Microsoft.EventHub/", StringComparison.OrdinalIgnoreCase) ? "2024-01-01" : "2023-05-01";
        try
        {
            var answer = await arm.GetAsync(destination.ResourceId, apiVersion, cancellationToken).ConfigureAwait(false);
            if (answer.Status == 404)
            {
                return CheckResult.Fail("destination", name, location, "destination-missing", $"{destination.ResourceId} does not exist ({answer.ErrorCode})", "create it first, or correct the id in aoai:diagnostics");
            }
            var actual = answer.Ok && answer.Body.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : null;
            if (actual is null)
            {
                return CheckResult.CheckFailed("destination", name, location, $"HTTP {answer.Status} {answer.ErrorCode} without a location (request id {answer.RequestId ?? "-"})");
            }
            // ARM reports locations in lowercase without spaces for these types, and the stack uses the same form.
            var folded = actual.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            return folded == location.ToLowerInvariant()
                ? CheckResult.Ok("destination", name, location, $"in {location}, like the account")
                : CheckResult.Fail("destination", name, location, "destination-wrong-region", $"{name} is in {actual}, the account in {location}; Azure accepts diagnostics destinations only in the resource's region",
                    $"use an event hub namespace or storage account in {location} (aoai:diagnostics)");
        }
        catch (ArmUnreadableException ex)
        {
            return CheckResult.CheckFailed("destination", name, location, ex.Message);
        }
    }
}
