using System.Globalization;
using BatchOrchestrator.Language.Diagnostics;
using BatchOrchestrator.Language.Syntax;

namespace BatchOrchestrator.Language.Time;

/// <summary>
/// Durations as workflows write them (<c>skip_delayed_by: 3m</c>, <c>wait>: 10s</c>, <c>poll_interval: 1h 30m</c>):
/// Digdag's syntax — whole numbers with the units <c>d</c>, <c>h</c>, <c>m</c>, <c>s</c>, each at most once and in
/// that order, case-insensitive, spaces allowed around numbers and units (<c>1d2h</c>, <c>1h 30m</c>, <c> 17 S </c>).
/// [ours] A bare whole number is read as seconds (<c>90</c>), where Digdag rejects it: every Digdag duration still
/// parses the same.
/// </summary>
public static class DurationText
{
    /// <summary>The phrase error messages use for what a duration looks like.</summary>
    public const string Expected = "a duration like 30s, 3m, 1h 30m or 2d (units d, h, m, s, in that order)";

    private static readonly (char Unit, long Seconds)[] Units = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

    /// <summary>
    /// Parses <paramref name="text"/>; on success <paramref name="duration"/> is non-negative and a whole number of
    /// seconds. Returns false for anything else, including negative or overflowing values.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null)
        {
            return false;
        }

        var position = 0;
        SkipSpaces(text, ref position);
        if (position == text.Length)
        {
            return false;
        }

        long total = 0;
        var nextUnit = 0;
        var sawUnit = false;
        while (position < text.Length)
        {
            if (!TryReadNumber(text, ref position, out var number))
            {
                return false;
            }

            SkipSpaces(text, ref position);
            if (position == text.Length)
            {
                // A number without a unit is only whole-text seconds ("90"), never a trailing part ("1m 30").
                if (sawUnit)
                {
                    return false;
                }

                return TryMakeDuration(number, out duration);
            }

            var unitIndex = UnitIndex(text[position]);
            if (unitIndex < nextUnit)
            {
                return false;
            }

            position++;
            sawUnit = true;
            nextUnit = unitIndex + 1;
            try
            {
                total = checked(total + checked(number * Units[unitIndex].Seconds));
            }
            catch (OverflowException)
            {
                return false;
            }

            SkipSpaces(text, ref position);
        }

        return TryMakeDuration(total, out duration);
    }

    /// <summary>Parses a duration or throws <see cref="FormatException"/> saying what was expected.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"expected {Expected}, got '{text}'");

    /// <summary>
    /// Reads the value of option <paramref name="key"/> as a duration. A YAML integer is seconds. Reports a
    /// positioned error into <paramref name="diagnostics"/> and returns null when the value is not a duration.
    /// </summary>
    public static TimeSpan? Read(ConfigNode node, string key, DiagnosticBag diagnostics)
    {
        if (node is ScalarNode scalar && !scalar.IsNull && TryParse(scalar.Value, out var duration))
        {
            return duration;
        }

        var got = node is ScalarNode { IsNull: false } text ? $"'{text.Value}'" : $"a {node.KindName}";
        diagnostics.Error(node.Location, $"{key}: expected {Expected}, got {got}");
        return null;
    }

    /// <summary>The shortest text that parses back to <paramref name="duration"/>'s whole seconds, e.g. <c>1h 30m</c>; zero is <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var remaining = (long)Math.Floor(Math.Abs(duration.TotalSeconds));
        if (remaining == 0)
        {
            return "0s";
        }

        var parts = new List<string>();
        foreach (var (unit, seconds) in Units)
        {
            if (remaining >= seconds)
            {
                parts.Add((remaining / seconds).ToString(CultureInfo.InvariantCulture) + unit);
                remaining %= seconds;
            }
        }

        return (duration < TimeSpan.Zero ? "-" : string.Empty) + string.Join(' ', parts);
    }

    private static int UnitIndex(char c) => char.ToLowerInvariant(c) switch
    {
        'd' => 0,
        'h' => 1,
        'm' => 2,
        's' => 3,
        _ => -1,
    };

    private static bool TryReadNumber(string text, ref int position, out long number)
    {
        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        number = 0;
        return position > start
            && long.TryParse(text.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private static bool TryMakeDuration(long seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (seconds > (long)TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
