using FluxSuite.Metering.Data;
using Npgsql;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// Set-based writes of the invoicing jobs: a batch of invoices, their lines, the subscriptions' cursors,
/// the DRAFT → OPEN change and the queued emails each take one statement (columns as arrays through
/// <c>unnest</c>), on the context's connection and so inside its transaction. Per-entity change tracking
/// cost several times the database's own work at 500 invoices a batch (see docs/metering.md, Benchmarks).
/// </summary>
internal static class InvoiceRows
{
    public static async Task InsertAsync(NpgsqlConnection connection, IReadOnlyList<Invoice> invoices, CancellationToken cancellationToken)
    {
        await Columns(invoices)
            .Add("id", "uuid", i => i.Id)
            .Add("organization_id", "uuid", i => i.OrganizationId)
            .Add("customer_id", "uuid", i => i.CustomerId)
            .Add("subscription_id", "uuid", i => i.SubscriptionId)
            .Add("plan_id", "uuid", i => i.PlanId)
            .Add("status", "text", i => i.Status)
            .Add("currency", "text", i => i.Currency)
            .Add("organization_name", "text", i => i.OrganizationName)
            .Add("customer_name", "text", i => i.CustomerName)
            .Add("customer_email", "text", i => i.CustomerEmail)
            .Add("customer_external_id", "text", i => i.CustomerExternalId)
            .Add("plan_name", "text", i => i.PlanName)
            .Add("period_start", "timestamptz", i => i.PeriodStart)
            .Add("period_end", "timestamptz", i => i.PeriodEnd)
            .Add("range_start", "timestamptz", i => i.RangeStart)
            .Add("range_end", "timestamptz", i => i.RangeEnd)
            .Add("closes_period", "boolean", i => i.ClosesPeriod)
            .Add("total", "numeric", i => i.Total)
            .Add("created_at", "timestamptz", i => i.CreatedAt)
            .Add("updated_at", "timestamptz", i => i.UpdatedAt)
            .InsertAsync(connection, "metering.invoices", cancellationToken);
        await InsertLinesAsync(connection, [.. invoices.SelectMany(i => i.Lines)], cancellationToken);
    }

    /// <summary>Replaces the lines of DRAFT invoices with the ones they now carry.</summary>
    public static async Task ReplaceLinesAsync(NpgsqlConnection connection, IReadOnlyList<Invoice> drafts, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return;
        }

        await using (var command = new NpgsqlCommand("DELETE FROM metering.invoice_lines WHERE invoice_id = ANY($1)", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. drafts.Select(i => i.Id)] });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertLinesAsync(connection, [.. drafts.SelectMany(i => i.Lines)], cancellationToken);
    }

    /// <summary>Moves the subscriptions' period-close cursors.</summary>
    public static Task SetNextCloseAsync(NpgsqlConnection connection, IReadOnlyList<Subscription> subscriptions, CancellationToken cancellationToken) =>
        Columns(subscriptions)
            .Add("id", "uuid", s => s.Id)
            .Add("next_close_at", "timestamptz", s => s.NextCloseAt)
            .UpdateAsync(connection, "metering.subscriptions", guard: null, cancellationToken);

    /// <summary>
    /// DRAFT → OPEN with each invoice's number, dates, total and parties as computed; guarded by the
    /// status, so an invoice another transaction finalized (or voided) first fails the whole batch
    /// instead of changing twice.
    /// </summary>
    public static async Task IssueAsync(NpgsqlConnection connection, IReadOnlyList<Invoice> invoices, CancellationToken cancellationToken)
    {
        var updated = await Columns(invoices)
            .Add("id", "uuid", i => i.Id)
            .Add("status", "text", i => i.Status)
            .Add("number", "text", i => i.Number)
            .Add("issued_at", "timestamptz", i => i.IssuedAt)
            .Add("due_at", "timestamptz", i => i.DueAt)
            .Add("updated_at", "timestamptz", i => i.UpdatedAt)
            .Add("total", "numeric", i => i.Total)
            .Add("currency", "text", i => i.Currency)
            .Add("organization_name", "text", i => i.OrganizationName)
            .Add("customer_name", "text", i => i.CustomerName)
            .Add("customer_email", "text", i => i.CustomerEmail)
            .Add("customer_external_id", "text", i => i.CustomerExternalId)
            .Add("plan_name", "text", i => i.PlanName)
            .UpdateAsync(connection, "metering.invoices", guard: $"t.status = '{InvoiceStatuses.Draft}'", cancellationToken);
        if (updated != invoices.Count)
        {
            throw new InvalidOperationException($"{invoices.Count - updated} of {invoices.Count} invoices were no longer DRAFT when they were finalized.");
        }
    }

    public static Task InsertEmailsAsync(NpgsqlConnection connection, IReadOnlyList<InvoiceEmail> emails, CancellationToken cancellationToken) =>
        Columns(emails)
            .Add("id", "uuid", e => e.Id)
            .Add("invoice_id", "uuid", e => e.InvoiceId)
            .Add("organization_id", "uuid", e => e.OrganizationId)
            .Add("recipient", "text", e => e.Recipient)
            .Add("status", "text", e => e.Status)
            .Add("attempts", "int", e => e.Attempts)
            .Add("next_attempt_at", "timestamptz", e => e.NextAttemptAt)
            .Add("last_response", "text", e => e.LastResponse)
            .Add("created_at", "timestamptz", e => e.CreatedAt)
            .Add("updated_at", "timestamptz", e => e.UpdatedAt)
            .InsertAsync(connection, "metering.invoice_emails", cancellationToken);

    private static Task InsertLinesAsync(NpgsqlConnection connection, IReadOnlyList<InvoiceLine> lines, CancellationToken cancellationToken) =>
        Columns(lines)
            .Add("id", "uuid", l => l.Id)
            .Add("invoice_id", "uuid", l => l.InvoiceId)
            .Add("position", "int", l => l.Position)
            .Add("charge_id", "uuid", l => l.ChargeId)
            .Add("type", "text", l => l.Type)
            .Add("description", "text", l => l.Description)
            .Add("meter_id", "uuid", l => l.MeterId)
            .Add("pricing_model", "text", l => l.PricingModel)
            .Add("quantity", "numeric", l => l.Quantity)
            .Add("period_quantity", "numeric", l => l.PeriodQuantity)
            .Add("unit_price", "numeric", l => l.UnitPrice)
            .Add("tiers", "jsonb", l => InvoiceConfiguration.TiersJson(l.Tiers))
            .Add("package_size", "numeric", l => l.PackageSize)
            .Add("package_price", "numeric", l => l.PackagePrice)
            .Add("packages", "numeric", l => l.Packages)
            .Add("period_amount", "numeric", l => l.PeriodAmount)
            .Add("previously_billed", "numeric", l => l.PreviouslyBilled)
            .Add("amount", "numeric", l => l.Amount)
            .InsertAsync(connection, "metering.invoice_lines", cancellationToken);

    private static RowColumns<TRow> Columns<TRow>(IReadOnlyList<TRow> rows) => new(rows);

    /// <summary>
    /// The columns of a batch of rows, each sent as one array parameter and read back row by row with
    /// <c>unnest</c>; a column's name, type and value stay on one line, so statement and parameters cannot drift apart.
    /// </summary>
    private sealed class RowColumns<TRow>(IReadOnlyList<TRow> rows)
    {
        private readonly List<(string Name, string Type, NpgsqlParameter Values)> _columns = [];

        public RowColumns<TRow> Add<TValue>(string name, string type, Func<TRow, TValue> value)
        {
            _columns.Add((name, type, new NpgsqlParameter<TValue[]> { TypedValue = [.. rows.Select(value)] }));
            return this;
        }

        public Task<int> InsertAsync(NpgsqlConnection connection, string table, CancellationToken cancellationToken) =>
            ExecuteAsync(connection, $"INSERT INTO {table} ({string.Join(", ", _columns.Select(c => c.Name))}) SELECT * FROM {Unnest()}", cancellationToken);

        /// <summary>Sets every column but the first, which names the row; <paramref name="guard"/> (on <c>t</c>, the row) limits it further.</summary>
        public Task<int> UpdateAsync(NpgsqlConnection connection, string table, string? guard, CancellationToken cancellationToken)
        {
            var key = _columns[0].Name;
            var set = string.Join(", ", _columns.Skip(1).Select(c => $"{c.Name} = u.{c.Name}"));
            return ExecuteAsync(
                connection,
                $"UPDATE {table} t SET {set} FROM {Unnest()} WHERE t.{key} = u.{key}{(guard is null ? string.Empty : " AND " + guard)}",
                cancellationToken);
        }

        private string Unnest() =>
            $"unnest({string.Join(", ", _columns.Select((c, i) => $"${i + 1}::{c.Type}[]"))}) AS u({string.Join(", ", _columns.Select(c => c.Name))})";

        private async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
        {
            if (rows.Count == 0)
            {
                return 0;
            }

            await using var command = new NpgsqlCommand(sql, connection);
            foreach (var column in _columns)
            {
                command.Parameters.Add(column.Values);
            }

            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
