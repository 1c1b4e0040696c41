using System.Text.Json;
using AzureOpenAi.Preflight.Cli;

namespace AzureOpenAi.Preflight.Tests;

/// <summary>
/// <c>--write-lifecycle</c>: the offline plan's model lifecycle file, refreshed from ARM's models lists
/// with one command, written whole or not at all.
/// </summary>
[TestFixture]
public sealed class LifecycleWriteTests : PreflightFixture
{
    private static async Task<(int Code, string Error)> Write(FakeArm arm, string file, string timeout = "3")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new PreflightEnvironment(_ => null, new StringReader(Plan()), output, error, new Token());
        var code = await PreflightCommand.RunAsync(["--plan", "-", "--arm-endpoint", arm.Endpoint.AbsoluteUri, "--timeout", timeout, "--write-lifecycle", file], environment);
        return (code, error.ToString());
    }

    [Test]
    public async Task Writes_each_version_with_its_dates_replacement_and_source()
    {
        _arm.Models["eastus2"][0] = FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o",
            skuDeprecation: "2027-03-01T00:00:00Z", inference: "2027-04-14T00:00:00Z", replacement: ("gpt-5.1", "2025-11-13"));
        var file = Path.Combine(Path.GetTempPath(), $"lifecycle-{Guid.NewGuid():N}.json");
        try
        {
            var (code, error) = await Write(_arm, file);
            Assert.That(code, Is.Zero, error);
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var versions = document.RootElement.GetProperty("versions").EnumerateArray().ToList();
            var gpt4o = versions.Single(v => v.GetProperty("model").GetString() == "gpt-4o");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(versions.Select(v => $"{v.GetProperty("model").GetString()} {v.GetProperty("version").GetString()}"),
                    Is.EqualTo(new[] { "gpt-4o 2024-11-20", "gpt-4o-mini 2024-07-18", "gpt-5.4 2026-03-05", "gpt-5.4-mini 2026-03-17", "gpt-5.5 2026-04-24" }), "every OpenAI version listed, sorted");
                Assert.That(gpt4o.GetProperty("retirement").GetString(), Is.EqualTo("2027-04-14"));
                Assert.That(gpt4o.GetProperty("skus").GetProperty("DataZoneStandard").GetString(), Is.EqualTo("2027-03-01"));
                Assert.That(gpt4o.GetProperty("replacement").GetString(), Is.EqualTo("gpt-5.1 2025-11-13"));
                Assert.That(gpt4o.GetProperty("lifecycle").GetString(), Is.EqualTo("GenerallyAvailable"));
                Assert.That(gpt4o.GetProperty("source").GetString(), Is.EqualTo("ARM models list of eastus2"));
                Assert.That(gpt4o.GetProperty("readOn").GetString(), Is.EqualTo(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(File.Exists(file + ".partial"), Is.False, "the partial file was moved into place");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_region_whose_list_cannot_be_read_writes_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"lifecycle-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "the file as it was");
        try
        {
            // Every models call fails after its retries, the check's and the lifecycle read's alike.
            _arm.Queue("/models", Enumerable.Range(0, 20).Select(_ => new FakeAnswer(500, new { error = new { code = "InternalServerError", message = "down" } })).ToArray());
            // A short bound: the retries of a failing list need not run their course here.
            var (code, error) = await Write(_arm, file, timeout: "0.5");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(1));
                Assert.That(error, Does.StartWith($"preflight: --write-lifecycle {file}: the models list of eastus2 ("));
                Assert.That(error, Does.Contain("nothing was written"));
                Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("the file as it was"));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_link_planted_where_a_partial_file_would_go_is_not_followed()
    {
        var dir = Directory.CreateTempSubdirectory("lifecycle-").FullName;
        var file = Path.Combine(dir, "modelLifecycle.json");
        var victim = Path.Combine(dir, "victim.txt");
        await File.WriteAllTextAsync(victim, "not to be written");
        File.CreateSymbolicLink(file + ".partial", victim);
        try
        {
            var (code, error) = await Write(_arm, file);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.Zero, error);
                Assert.That(await File.ReadAllTextAsync(victim), Is.EqualTo("not to be written"));
                Assert.That(File.ReadAllText(file), Does.Contain("\"versions\""));
                Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "modelLifecycle.json", "modelLifecycle.json.partial", "victim.txt" }), "nothing of its own left behind");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task A_directory_where_the_file_goes_is_a_clear_error_that_leaves_nothing_behind()
    {
        var dir = Directory.CreateTempSubdirectory("lifecycle-").FullName;
        var file = Path.Combine(dir, "modelLifecycle.json");
        Directory.CreateDirectory(file);
        try
        {
            var (code, error) = await Write(_arm, file);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(code, Is.EqualTo(1));
                Assert.That(error, Is.EqualTo($"preflight: --write-lifecycle {file}: is a directory; nothing was written{Environment.NewLine}"));
                Assert.That(Directory.GetFileSystemEntries(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "modelLifecycle.json" }));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Writes_the_earliest_date_any_region_lists_whichever_region_comes_first()
    {
        static JsonElement Listed(string inference, string sku) => JsonSerializer.SerializeToElement(FakeArm.Model("gpt-4o", "2024-11-20", "DataZoneStandard", "OpenAI.DataZoneStandard.gpt-4o", skuDeprecation: sku, inference: inference));
        var early = Listed("2027-01-10T00:00:00Z", "2027-01-05T00:00:00Z");
        var late = Listed("2027-06-30T00:00:00Z", "2027-06-01T00:00:00Z");
        foreach (var (a, b) in new[] { (early, late), (late, early) })
        {
            var entry = LifecycleData.From(new Dictionary<string, IReadOnlyList<JsonElement>> { ["eastus2"] = [a], ["westus3"] = [b] }, Today).Single();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(entry.Retirement, Is.EqualTo("2027-01-10"), "a version retires where it retires first");
                Assert.That(entry.Skus["DataZoneStandard"], Is.EqualTo("2027-01-05"));
                Assert.That(entry.Source, Is.EqualTo("ARM models list of eastus2, westus3"));
            }
        }
    }
}
