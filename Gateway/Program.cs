using Gateway.Startup;

return await GatewayRunner.RunAsync(args).ConfigureAwait(false);
