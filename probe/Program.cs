using AzureOpenAi.Probe.Cli;

return await ProbeCommand.RunAsync(args, new ProbeEnvironment(Environment.GetEnvironmentVariable, Console.In, Console.Out, Console.Error)).ConfigureAwait(false);
