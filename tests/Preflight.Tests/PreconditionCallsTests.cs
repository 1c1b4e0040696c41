namespace AzureOpenAi.Preflight.Tests;

/// <summary>The subscription-wide calls go out in the api-versions whose shapes the preflight reads.</summary>
public sealed class PreconditionCallsTests : PreflightFixture
{
    [Test]
    public async Task Each_precondition_call_uses_the_api_version_its_shape_comes_from()
    {
        await RunProd();
        string VersionOf(string method, string pathEnd) => _arm.Calls.First(c => c.Method == method && c.Path.EndsWith(pathEnd, StringComparison.Ordinal)).ApiVersion;
        Assert.Multiple(() =>
        {
            Assert.That(VersionOf("GET", "/providers/Microsoft.Web"), Is.EqualTo("2021-04-01"));
            Assert.That(VersionOf("GET", "/providers/Microsoft.Authorization/permissions"), Is.EqualTo("2022-04-01"));
            Assert.That(VersionOf("POST", "/providers/Microsoft.PolicyInsights/checkPolicyRestrictions"), Is.EqualTo("2023-03-01"));
            Assert.That(VersionOf("GET", "/deletedVaults/kv-contoso-prod-03c8"), Is.EqualTo("2023-07-01"));
            Assert.That(VersionOf("POST", "/providers/Microsoft.KeyVault/checkNameAvailability"), Is.EqualTo("2023-07-01"));
            Assert.That(VersionOf("GET", "/deletedservices/apim-contoso-prod-9601ff1a"), Is.EqualTo("2024-05-01"));
            Assert.That(VersionOf("POST", "/providers/Microsoft.ApiManagement/checkNameAvailability"), Is.EqualTo("2024-05-01"));
        });
    }
}
