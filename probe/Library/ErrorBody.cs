using System.Text.Json;

namespace AzureOpenAi.Probe;

/// <summary>
/// The error details of an Azure OpenAI response, read from any of the shapes the service and the
/// proxies in front of it send: the <c>{"error":{...}}</c> envelope (with <c>innererror</c> or
/// <c>inner_error</c>), the bare <c>{"statusCode":401,"message":...}</c> body, or HTML/plain text.
/// </summary>
/// <param name="Code">The <c>error.code</c>, e.g. <c>DeploymentNotFound</c>; null when the body has none.</param>
/// <param name="Message">The service's message, or the start of a non-JSON body.</param>
/// <param name="InnerCode">The inner error code, e.g. <c>ResponsibleAIPolicyViolation</c>.</param>
/// <param name="IsJson">False when the body was not JSON (a proxy page, an empty body).</param>
public sealed record ErrorBody(string? Code, string? Message, string? InnerCode, bool IsJson)
{
    private const int MaxTextLength = 300;

    /// <summary>Parses a response body; never throws.</summary>
    public static ErrorBody Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ErrorBody(null, null, null, IsJson: false);
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ErrorBody(null, Truncate(body), null, IsJson: false);
            }
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var inner = error.TryGetProperty("innererror", out var i1) ? i1 : error.TryGetProperty("inner_error", out var i2) ? i2 : default;
                return new ErrorBody(
                    Text(error, "code"),
                    Text(error, "message"),
                    inner.ValueKind == JsonValueKind.Object ? Text(inner, "code") : null,
                    IsJson: true);
            }
            return new ErrorBody(Text(root, "code") ?? Text(root, "statusCode"), Text(root, "message"), null, IsJson: true);
        }
        catch (JsonException)
        {
            return new ErrorBody(null, Truncate(body), null, IsJson: false);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => Secrets.WithoutControls(value.GetString()),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string Truncate(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= MaxTextLength ? flat : flat[..MaxTextLength] + "...";
    }
}
