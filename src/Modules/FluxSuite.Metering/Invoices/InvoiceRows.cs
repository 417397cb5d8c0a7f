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
        if (invoices.Count == 0)
        {
            return;
        }

        await using (var command = new NpgsqlCommand(
                         """
                         INSERT INTO metering.invoices (id, organization_id, customer_id, subscription_id, plan_id, status, currency,
                             organization_name, customer_name, customer_email, customer_external_id, plan_name,
                             period_start, period_end, range_start, range_end, closes_period, total, created_at, updated_at)
                         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[],
                             $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                             $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::boolean[], $18::numeric[],
                             $19::timestamptz[], $20::timestamptz[])
                         """, connection))
        {
            Add(command, invoices, i => i.Id);
            Add(command, invoices, i => i.OrganizationId);
            Add(command, invoices, i => i.CustomerId);
            Add(command, invoices, i => i.SubscriptionId);
            Add(command, invoices, i => i.PlanId);
            Add(command, invoices, i => i.Status);
            Add(command, invoices, i => i.Currency);
            Add(command, invoices, i => i.OrganizationName);
            Add(command, invoices, i => i.CustomerName);
            Add(command, invoices, i => i.CustomerEmail);
            Add(command, invoices, i => i.CustomerExternalId);
            Add(command, invoices, i => i.PlanName);
            Add(command, invoices, i => i.PeriodStart);
            Add(command, invoices, i => i.PeriodEnd);
            Add(command, invoices, i => i.RangeStart);
            Add(command, invoices, i => i.RangeEnd);
            Add(command, invoices, i => i.ClosesPeriod);
            Add(command, invoices, i => i.Total);
            Add(command, invoices, i => i.CreatedAt);
            Add(command, invoices, i => i.UpdatedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

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
            Add(command, drafts, i => i.Id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await InsertLinesAsync(connection, [.. drafts.SelectMany(i => i.Lines)], cancellationToken);
    }

    /// <summary>Moves the subscriptions' period-close cursors.</summary>
    public static async Task SetNextCloseAsync(
        NpgsqlConnection connection, IReadOnlyList<(Guid Subscription, DateTimeOffset? NextCloseAt)> cursors, CancellationToken cancellationToken)
    {
        if (cursors.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE metering.subscriptions s SET next_close_at = c.next_close_at
            FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, next_close_at)
            WHERE s.id = c.id
            """, connection);
        Add(command, cursors, c => c.Subscription);
        Add(command, cursors, c => c.NextCloseAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// DRAFT → OPEN with each invoice's number, total and parties as computed; guarded by the status, so
    /// an invoice another transaction finalized (or voided) first fails the whole batch instead of changing twice.
    /// </summary>
    public static async Task IssueAsync(NpgsqlConnection connection, IReadOnlyList<Invoice> invoices, CancellationToken cancellationToken)
    {
        if (invoices.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE metering.invoices i
            SET status = 'OPEN', number = u.number, issued_at = u.issued_at, due_at = u.due_at, updated_at = u.issued_at, total = u.total,
                currency = u.currency, organization_name = u.organization_name, customer_name = u.customer_name,
                customer_email = u.customer_email, customer_external_id = u.customer_external_id, plan_name = u.plan_name
            FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::numeric[], $6::text[], $7::text[], $8::text[],
                        $9::text[], $10::text[], $11::text[])
                 AS u(id, number, issued_at, due_at, total, currency, organization_name, customer_name, customer_email, customer_external_id, plan_name)
            WHERE i.id = u.id AND i.status = 'DRAFT'
            """, connection);
        Add(command, invoices, i => i.Id);
        Add(command, invoices, i => i.Number);
        Add(command, invoices, i => i.IssuedAt);
        Add(command, invoices, i => i.DueAt);
        Add(command, invoices, i => i.Total);
        Add(command, invoices, i => i.Currency);
        Add(command, invoices, i => i.OrganizationName);
        Add(command, invoices, i => i.CustomerName);
        Add(command, invoices, i => i.CustomerEmail);
        Add(command, invoices, i => i.CustomerExternalId);
        Add(command, invoices, i => i.PlanName);
        var updated = await command.ExecuteNonQueryAsync(cancellationToken);
        if (updated != invoices.Count)
        {
            throw new InvalidOperationException($"{invoices.Count - updated} of {invoices.Count} invoices were no longer DRAFT when they were finalized.");
        }
    }

    public static async Task InsertEmailsAsync(NpgsqlConnection connection, IReadOnlyList<InvoiceEmail> emails, CancellationToken cancellationToken)
    {
        if (emails.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO metering.invoice_emails (id, invoice_id, organization_id, recipient, status, attempts, next_attempt_at, last_response, created_at, updated_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::text[],
                                 $9::timestamptz[], $10::timestamptz[])
            """, connection);
        Add(command, emails, e => e.Id);
        Add(command, emails, e => e.InvoiceId);
        Add(command, emails, e => e.OrganizationId);
        Add(command, emails, e => e.Recipient);
        Add(command, emails, e => e.Status);
        Add(command, emails, e => e.Attempts);
        Add(command, emails, e => e.NextAttemptAt);
        Add(command, emails, e => e.LastResponse);
        Add(command, emails, e => e.CreatedAt);
        Add(command, emails, e => e.UpdatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertLinesAsync(NpgsqlConnection connection, IReadOnlyList<InvoiceLine> lines, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(
            """
            INSERT INTO metering.invoice_lines (id, invoice_id, position, charge_id, type, description, meter_id, pricing_model,
                quantity, period_quantity, unit_price, tiers, package_size, package_price, packages, period_amount, previously_billed, amount)
            SELECT l.id, l.invoice_id, l.position, l.charge_id, l.type, l.description, l.meter_id, l.pricing_model,
                l.quantity, l.period_quantity, l.unit_price, l.tiers::jsonb, l.package_size, l.package_price, l.packages,
                l.period_amount, l.previously_billed, l.amount
            FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::uuid[], $5::text[], $6::text[], $7::uuid[], $8::text[],
                        $9::numeric[], $10::numeric[], $11::numeric[], $12::text[], $13::numeric[], $14::numeric[], $15::numeric[],
                        $16::numeric[], $17::numeric[], $18::numeric[])
                 AS l(id, invoice_id, position, charge_id, type, description, meter_id, pricing_model, quantity, period_quantity, unit_price,
                      tiers, package_size, package_price, packages, period_amount, previously_billed, amount)
            """, connection);
        Add(command, lines, l => l.Id);
        Add(command, lines, l => l.InvoiceId);
        Add(command, lines, l => l.Position);
        Add(command, lines, l => l.ChargeId);
        Add(command, lines, l => l.Type);
        Add(command, lines, l => l.Description);
        Add(command, lines, l => l.MeterId);
        Add(command, lines, l => l.PricingModel);
        Add(command, lines, l => l.Quantity);
        Add(command, lines, l => l.PeriodQuantity);
        Add(command, lines, l => l.UnitPrice);
        Add(command, lines, l => InvoiceConfiguration.TiersJson(l.Tiers));
        Add(command, lines, l => l.PackageSize);
        Add(command, lines, l => l.PackagePrice);
        Add(command, lines, l => l.Packages);
        Add(command, lines, l => l.PeriodAmount);
        Add(command, lines, l => l.PreviouslyBilled);
        Add(command, lines, l => l.Amount);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One column: the values of <paramref name="rows"/> as an array parameter.</summary>
    private static void Add<TRow, TValue>(NpgsqlCommand command, IEnumerable<TRow> rows, Func<TRow, TValue> column) =>
        command.Parameters.Add(new NpgsqlParameter<TValue[]> { TypedValue = [.. rows.Select(column)] });
}
