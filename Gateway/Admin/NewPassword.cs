using System.Text;
using Gateway.Core.Handlers.Users;

namespace Gateway.Admin;

/// <summary>A new password for reset-password and add-operator: <c>GATEWAY_NEW_PASSWORD</c>, else the first line of stdin (typed without echo at a terminal).</summary>
internal static class NewPassword
{
    public const string Variable = "GATEWAY_NEW_PASSWORD";

    public static async Task<string> ReadAsync(IConfiguration configuration, string userName)
    {
        var password = configuration[Variable];
        if (string.IsNullOrEmpty(password))
            password = Console.IsInputRedirected ? await Console.In.ReadLineAsync().ConfigureAwait(false) : await PromptAsync(userName).ConfigureAwait(false);
        password = password?.TrimEnd('\r', '\n');
        if (string.IsNullOrEmpty(password))
            throw new AdminRefusedException($"no new password: set {Variable} or write it on stdin");
        if (password.Length < CreateUserHandler.MinimumPasswordLength)
            throw new AdminRefusedException($"the new password must be at least {CreateUserHandler.MinimumPasswordLength} characters");
        return password;
    }

    private static async Task<string> PromptAsync(string userName)
    {
        await Console.Error.WriteAsync($"New password for '{userName}': ").ConfigureAwait(false);
        var typed = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                typed.Length--;
            else if (!char.IsControl(key.KeyChar))
                typed.Append(key.KeyChar);
        }
        await Console.Error.WriteLineAsync().ConfigureAwait(false);
        return typed.ToString();
    }
}
