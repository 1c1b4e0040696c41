namespace AzureOpenAi.Preflight;

/// <summary>The region row: the region exists and lists OpenAI models.</summary>
internal static class RegionChecks
{
    public static CheckResult Region(string location, RegionData data)
    {
        if (data.ModelsFailure is { } failure)
        {
            return CheckResult.CheckFailed("region", location, location, failure);
        }
        var fix = "choose a region that offers Azure OpenAI (aoai:location), e.g. eastus2 or swedencentral";
        if (data.Unavailable is { } why)
        {
            return CheckResult.Fail("region", location, location, "region-unavailable", why, fix);
        }
        // Distinct versions: ARM lists each once per account kind that can deploy it (OpenAI, AIServices).
        var openAi = (data.Models ?? []).Select(e => e.TryGetProperty("model", out var m) ? m : default)
            .Where(m => ModelChecks.Text(m, "format").Equals("OpenAI", StringComparison.OrdinalIgnoreCase))
            .Select(m => (ModelChecks.Text(m, "name"), ModelChecks.Text(m, "version"))).Distinct().Count();
        return openAi == 0
            ? CheckResult.Fail("region", location, location, "region-unavailable", $"{location} lists no OpenAI model", fix)
            : CheckResult.Ok("region", location, location, $"{openAi} OpenAI model versions listed");
    }
}
