using Gateway;

var app = await GatewayApp.BuildAsync(args).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
return 0;
