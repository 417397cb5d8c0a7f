using System.Globalization;
using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Metering.Usage;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// The geometry of the usage bar chart (an SVG drawn by the page): one bar per bucket scaled to the
/// largest value, and the labels of the axes. Numbers only; every text is written by Razor, encoded.
/// </summary>
internal sealed record UsageChart(IReadOnlyList<UsageChart.Bar> Bars, string MaxLabel, IReadOnlyList<UsageChart.Tick> Ticks)
{
    public const int Width = 640;
    public const int Height = 260;
    public const int Left = 56;
    public const int Right = 8;
    public const int Top = 12;
    public const int Bottom = 28;

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public static double Baseline => Top + PlotHeight;

    /// <summary>One bucket: where its bar stands and what its tooltip says.</summary>
    internal sealed record Bar(double X, double Y, double BarWidth, double BarHeight, string Title);

    internal sealed record Tick(double X, string Label);

    public static UsageChart Of(GetUsage.Response usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var points = usage.Series;
        var max = points.Select(p => p.Value ?? 0m).DefaultIfEmpty(0m).Max();
        var slot = points.Count == 0 ? PlotWidth : PlotWidth / points.Count;
        var gap = slot > 6 ? Math.Min(slot * 0.2, 6) : 0;
        var bars = points.Select((p, i) =>
        {
            var height = max <= 0 || p.Value is not { } value ? 0 : (double)(value / max) * PlotHeight;
            return new Bar(Round(Left + (i * slot) + (gap / 2)), Round(Baseline - height), Round(Math.Max(slot - gap, 0.5)), Round(height),
                $"{Label(p.Start, usage.Granularity)}: {PageText.Number(p.Value)}");
        }).ToList();
        // At most five labels along the time axis, evenly spread, the first and last bucket included.
        var ticks = new List<Tick>();
        if (points.Count > 0)
        {
            var step = Math.Max(1, (int)Math.Ceiling((points.Count - 1) / 4.0));
            for (var i = 0; i < points.Count; i += step)
            {
                ticks.Add(new Tick(Round(Left + (i * slot) + (slot / 2)), Label(points[i].Start, usage.Granularity)));
            }
        }

        return new UsageChart(bars, PageText.Number(max), ticks);
    }

    public static string Label(DateTimeOffset start, string granularity) => granularity switch
    {
        "hour" => start.UtcDateTime.ToString("MM-dd HH:00", CultureInfo.InvariantCulture),
        "month" => start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => start.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static string Svg(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 2);
}
