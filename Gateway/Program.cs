using Gateway;

var app = GatewayApp.Build(args);
await app.RunAsync().ConfigureAwait(false);
return 0;
