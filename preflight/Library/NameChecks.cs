namespace AzureOpenAi.Preflight;

/// <summary>
/// The name rows of the plan's Key Vaults and API Management gateway. Both names are global: a deleted
/// vault keeps its name for its retention (90 days by default, and purge protection forbids purging), a
/// deleted API Management service for 48 hours, and another subscription or tenant may hold either. A
/// rebuild inside those windows fails on the name; the row says so first, with the date it frees up.
/// </summary>
internal static class NameChecks
{
    private sealed record Service(string Label, string Api, Func<string, string, string, string> Own, Func<string, string, string, string> Deleted, string CheckPath, Func<string, object> CheckBody, Func<string, string, string?, bool, string> SoftDeletedFix);

    private static readonly Dictionary<string, Service> Services = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.KeyVault/vaults"] = new("Key Vault", "2023-07-01",
            (sub, rg, name) => $"{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}",
            (sub, location, name) => $"{sub}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{name}",
            "providers/Microsoft.KeyVault/checkNameAvailability", name => new { name, type = "Microsoft.KeyVault/vaults" },
            (name, location, purge, purgeProtected) => purgeProtected
                ? $"recover it (az keyvault recover --name {name}) and run again, or wait until {purge ?? "its scheduled purge date"}: purge protection forbids purging it"
                : $"recover it (az keyvault recover --name {name}), or purge it (az keyvault purge --name {name} --location {location}), then run again"),
        ["Microsoft.ApiManagement/service"] = new("API Management service", "2024-05-01",
            (sub, rg, name) => $"{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}",
            (sub, location, name) => $"{sub}/providers/Microsoft.ApiManagement/locations/{location}/deletedservices/{name}",
            "providers/Microsoft.ApiManagement/checkNameAvailability", name => new { name },
            (name, location, purge, _) => $"purge it (az apim deletedservice purge --service-name {name} --location {location}) and run again, or wait until {purge ?? "its scheduled purge date"}"),
    };

    /// <summary>The planned resources whose global names the rows check.</summary>
    public static bool Applies(PlannedResource r) => r.Name is not null && r.Location is not null && r.ResourceGroup is not null && Services.ContainsKey(r.ArmType);

    public static async Task<CheckResult> CheckAsync(Arm arm, string sub, PlannedResource r, CancellationToken cancellationToken)
    {
        var service = Services[r.ArmType];
        var (name, location) = (r.Name!, r.Location!);
        try
        {
            var own = await arm.GetAsync(service.Own(sub, r.ResourceGroup!, name), service.Api, cancellationToken).ConfigureAwait(false);
            if (own.Ok)
            {
                return CheckResult.Ok("name", name, location, $"the {service.Label} already exists in {r.ResourceGroup}: this stack's");
            }
            if (own.Status != 404)
            {
                return CheckResult.CheckFailed("name", name, location, $"{service.Label}: HTTP {own.Status} {own.ErrorCode} (request id {own.RequestId ?? "-"})");
            }
            var deleted = await arm.GetAsync(service.Deleted(sub, location, name), service.Api, cancellationToken).ConfigureAwait(false);
            if (deleted.Ok)
            {
                var properties = deleted.Body.TryGetProperty("properties", out var p) ? p : default;
                var purge = ModelChecks.Text(properties, "scheduledPurgeDate") is { Length: > 0 } date ? date : null;
                var purgeProtected = properties.ValueKind == System.Text.Json.JsonValueKind.Object && properties.TryGetProperty("purgeProtectionEnabled", out var pp) && pp.ValueKind == System.Text.Json.JsonValueKind.True;
                return CheckResult.Fail("name", name, location, "soft-deleted",
                    $"a deleted {service.Label} holds the name {name} until {purge ?? "its scheduled purge date"}{(purgeProtected ? " (purge protection on)" : "")}; creating it again fails",
                    service.SoftDeletedFix(name, location, purge, purgeProtected));
            }
            if (deleted.Status != 404)
            {
                return CheckResult.CheckFailed("name", name, location, $"deleted {service.Label}: HTTP {deleted.Status} {deleted.ErrorCode} (request id {deleted.RequestId ?? "-"})");
            }
            var check = await arm.PostAsync($"{sub}/{service.CheckPath}", service.Api, service.CheckBody(name), cancellationToken).ConfigureAwait(false);
            if (!check.Ok || !check.Body.TryGetProperty("nameAvailable", out var available) || available.ValueKind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            {
                return CheckResult.CheckFailed("name", name, location, $"{service.Label} checkNameAvailability: HTTP {check.Status} {check.ErrorCode} without nameAvailable (request id {check.RequestId ?? "-"})");
            }
            return available.GetBoolean()
                ? CheckResult.Ok("name", name, location, $"{name} is free")
                : CheckResult.Fail("name", name, location, "name-taken",
                    $"{name} is held elsewhere ({ModelChecks.Text(check.Body, "reason")}{(ModelChecks.Text(check.Body, "message") is { Length: > 0 } m ? $": {m}" : "")}); {service.Label} names are global",
                    "the name derives from the subscription, aoai:namePrefix and aoai:environment: another namePrefix or environment gives another");
        }
        catch (ArmUnreadableException ex)
        {
            return CheckResult.CheckFailed("name", name, location, ex.Message);
        }
    }
}
