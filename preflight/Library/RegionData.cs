using System.Text.Json;

namespace AzureOpenAi.Preflight;

/// <summary>What ARM says about one region: the models it offers (or why it offers none) and the quota.</summary>
internal sealed record RegionData(List<JsonElement>? Models, string? Unavailable, string? ModelsFailure, List<JsonElement>? Usages, string? UsagesFailure)
{
    private static readonly string[] NoRegion = ["NoRegisteredProviderFound", "LocationNotFound", "InvalidLocation"];

    public static async Task<RegionData> LoadAsync(Arm arm, string sub, string location, CancellationToken cancellationToken)
    {
        var models = ListAsync(arm, $"{sub}/providers/Microsoft.CognitiveServices/locations/{location}/models", "2025-09-01", cancellationToken);
        var usages = ListAsync(arm, $"{sub}/providers/Microsoft.CognitiveServices/locations/{location}/usages", "2025-06-01", cancellationToken);
        var (modelAnswer, modelItems, modelFailure) = await models.ConfigureAwait(false);
        var (usageAnswer, usageItems, usageFailure) = await usages.ConfigureAwait(false);
        string? unavailable = null;
        if (modelAnswer is { Ok: false } && modelAnswer.ErrorCode is { } code && NoRegion.Contains(code, StringComparer.OrdinalIgnoreCase))
        {
            unavailable = $"the models list answered {modelAnswer.Status} {code}";
        }
        else if (modelAnswer is { Ok: false })
        {
            modelFailure = $"models list: HTTP {modelAnswer.Status} {modelAnswer.ErrorCode} (request id {modelAnswer.RequestId ?? "-"})";
        }
        if (usageAnswer is { Ok: false })
        {
            usageFailure = $"usages list: HTTP {usageAnswer.Status} {usageAnswer.ErrorCode} (request id {usageAnswer.RequestId ?? "-"})";
        }
        return new RegionData(modelFailure is null && unavailable is null ? modelItems : null, unavailable, modelFailure, usageFailure is null ? usageItems : null, usageFailure);
    }

    private static async Task<(ArmAnswer? Answer, List<JsonElement> Items, string? Failure)> ListAsync(Arm arm, string path, string apiVersion, CancellationToken cancellationToken)
    {
        try
        {
            var (first, items) = await arm.ListAsync(path, apiVersion, cancellationToken).ConfigureAwait(false);
            return (first, items, null);
        }
        catch (ArmUnreadableException ex)
        {
            return (null, [], ex.Message);
        }
    }
}
