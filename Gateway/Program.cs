using Gateway.Admin;
using Gateway.Startup;

return args is ["admin", .. var rest]
    ? await AdminCommandLine.RunAsync(rest).ConfigureAwait(false)
    : await GatewayRunner.RunAsync(args).ConfigureAwait(false);
