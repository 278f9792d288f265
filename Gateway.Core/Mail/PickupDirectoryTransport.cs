using MimeKit;

namespace Gateway.Core.Mail;

/// <summary>
/// Writes each message as one <c>.eml</c> file in a folder, readable by its owner only (0600): for tests, and for
/// operators who hand mail on with a tool of their own. The file appears whole: it is written under another name first.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    /// <inheritdoc />
    public string Destination => $"the pickup directory {Path.GetFullPath(directory)}";

    /// <inheritdoc />
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(directory);
            else
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var name = $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var partial = Path.Combine(directory, name + ".part");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(partial, options);
        await using (stream.ConfigureAwait(false))
        {
            await message.WriteToAsync(stream, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        File.Move(partial, Path.Combine(directory, name + ".eml"));
    }
}
