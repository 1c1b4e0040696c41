using AzureOpenAi.Preflight.Cli;

return await PreflightCommand.RunAsync(args, new PreflightEnvironment(Environment.GetEnvironmentVariable, Console.In, Console.Out, Console.Error)).ConfigureAwait(false);
