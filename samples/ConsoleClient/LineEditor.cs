namespace ConsoleClient;

/// <summary>Reads a line at a terminal with history (up/down) and tab completion; from a pipe it reads plain lines.</summary>
internal sealed class LineEditor(Func<IEnumerable<string>> completions)
{
    private readonly List<string> _history = [];

    public string? ReadLine(string prompt)
    {
        Console.Out.Write(prompt);
        if (Console.IsInputRedirected)
            return Console.In.ReadLine();

        var text = new System.Text.StringBuilder();
        var historyIndex = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.Out.WriteLine();
                    var line = text.ToString();
                    if (line.Trim().Length > 0 && (_history.Count == 0 || _history[^1] != line))
                        _history.Add(line);
                    return line;
                case ConsoleKey.Backspace when text.Length > 0:
                    text.Length--;
                    Console.Out.Write("\b \b");
                    break;
                case ConsoleKey.UpArrow when historyIndex > 0:
                    Replace(text, _history[--historyIndex]);
                    break;
                case ConsoleKey.DownArrow when historyIndex < _history.Count:
                    historyIndex++;
                    Replace(text, historyIndex < _history.Count ? _history[historyIndex] : "");
                    break;
                case ConsoleKey.Tab:
                    Complete(text, prompt);
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && text.Length == 0:
                    Console.Out.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        text.Append(key.KeyChar);
                        Console.Out.Write(key.KeyChar);
                    }
                    break;
            }
        }
    }

    private void Complete(System.Text.StringBuilder text, string prompt)
    {
        var word = text.ToString();
        if (word.Contains(' ', StringComparison.Ordinal) && !word.StartsWith("help ", StringComparison.Ordinal))
            return;
        var prefix = word.StartsWith("help ", StringComparison.Ordinal) ? word[5..] : word;
        var matches = completions().Where(c => c.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        if (matches.Count == 1)
            Replace(text, word[..(word.Length - prefix.Length)] + matches[0] + " ");
        else if (matches.Count > 1)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine(string.Join("  ", matches));
            Console.Out.Write(prompt + text);
        }
    }

    private static void Replace(System.Text.StringBuilder text, string with)
    {
        Console.Out.Write(new string('\b', text.Length) + new string(' ', text.Length) + new string('\b', text.Length));
        text.Clear().Append(with);
        Console.Out.Write(with);
    }
}
