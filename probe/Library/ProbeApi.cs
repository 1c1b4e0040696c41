namespace AzureOpenAi.Probe;

/// <summary>
/// The Azure OpenAI API a probe call goes through; a gateway routes them all with one policy, so the
/// probe of a gateway proves each.
/// </summary>
public enum ProbeApi
{
    /// <summary><c>POST /openai/deployments/{deployment}/chat/completions?api-version=…</c>: the deployment in the path.</summary>
    Dated,

    /// <summary><c>POST /openai/v1/chat/completions</c>: no api-version, the deployment as the body's <c>model</c>.</summary>
    V1,

    /// <summary><c>POST /openai/v1/responses</c>: the Responses API, the deployment as the body's <c>model</c>.</summary>
    Responses,
}
