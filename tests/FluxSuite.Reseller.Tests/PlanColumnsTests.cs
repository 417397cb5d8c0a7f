using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// The prepared plan read maps its columns by hand (<see cref="ReadPlans.PlanColumns"/>): every column the model maps
/// for a plan must be among them, so a column added to plans cannot be left out of the plan routes' answers.
/// </summary>
public sealed class PlanColumnsTests
{
    [Fact]
    public void Given_the_model_Then_the_prepared_plan_read_selects_every_column_of_a_plan()
    {
        using var db = new ResellerDesignTimeFactory().CreateDbContext([]);
        var entity = db.Model.FindEntityType(typeof(Plan))!;
        var modelColumns = entity.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal);
        var readColumns = ReadPlans.PlanColumns
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.StartsWith("p.", StringComparison.Ordinal) ? c[2..] : c)
            .Order(StringComparer.Ordinal);

        Assert.Equal(modelColumns, readColumns);
    }
}
