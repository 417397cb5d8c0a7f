using System.Globalization;
using System.Text;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// The invoice as a document: a printable HTML page (<c>GET /invoices/{id}/html</c>, and the body of
/// the invoice email), a plain-text twin for mail readers without HTML, and the email's subject.
/// Everything that came from a user is HTML-encoded.
/// </summary>
internal static class InvoiceDocument
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Title(Invoice invoice) => invoice.Number is null ? "Draft invoice" : $"Invoice {invoice.Number}";

    public static string Subject(Invoice invoice) =>
        $"{Title(invoice)} from {invoice.OrganizationName}: {Money(invoice.Total, invoice.Currency)}"
        + (invoice.DueAt is { } due ? $", due {Day(due)}" : string.Empty);

    public static string Html(Invoice invoice, TimeSpan gracePeriod)
    {
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(E(Title(invoice))).Append(" — ").Append(E(invoice.OrganizationName)).Append("</title><style>")
            .Append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}")
            .Append(".invoice{max-width:800px;margin:24px auto;background:#fff;padding:40px;border:1px solid #d0d7de;border-radius:6px}")
            .Append("h1{margin:0 0 4px;font-size:28px}h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#59636e;margin:0 0 6px}")
            .Append(".status{display:inline-block;padding:2px 10px;border-radius:12px;font-size:13px;font-weight:600;background:#eaeef2}")
            .Append(".status-OPEN{background:#ddf4ff;color:#0969da}.status-PAID{background:#dafbe1;color:#1a7f37}.status-VOID{background:#ffebe9;color:#cf222e}")
            .Append(".parties{display:flex;gap:32px;margin:28px 0;flex-wrap:wrap}.parties>div{flex:1;min-width:180px}.parties p{margin:0;line-height:1.5}")
            .Append("dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 12px}dt{color:#59636e}dd{margin:0}")
            .Append("table{width:100%;border-collapse:collapse;margin-top:8px}th,td{padding:8px 6px;text-align:left;vertical-align:top}")
            .Append("thead th{border-bottom:2px solid #d0d7de;font-size:13px;color:#59636e}tbody td{border-bottom:1px solid #eaeef2}")
            .Append(".num{text-align:right;white-space:nowrap}.detail{color:#59636e;font-size:13px}.detail td{border-bottom:none;padding-top:0}")
            .Append("tfoot th,tfoot td{border-top:2px solid #1f2328;font-size:18px}.note{color:#59636e;font-size:13px;margin-top:24px}")
            .Append("@media print{body{background:#fff}.invoice{border:none;margin:0;max-width:none;padding:0}}")
            .Append("</style></head><body><main class=\"invoice\">");

        html.Append("<header><h1>").Append(E(Title(invoice))).Append("</h1><span class=\"status status-").Append(E(invoice.Status)).Append("\">")
            .Append(E(invoice.Status)).Append("</span></header>");

        html.Append("<section class=\"parties\"><div><h2>From</h2><p>").Append(E(invoice.OrganizationName)).Append("</p></div>")
            .Append("<div><h2>Bill to</h2><p>").Append(E(invoice.CustomerName));
        if (invoice.CustomerEmail is not null)
        {
            html.Append("<br>").Append(E(invoice.CustomerEmail));
        }

        html.Append("<br>Customer ID: ").Append(E(invoice.CustomerExternalId)).Append("</p></div><div><h2>Details</h2><dl>");
        if (invoice.Number is not null)
        {
            Term(html, "Number", invoice.Number);
        }

        if (invoice.IssuedAt is { } issued)
        {
            Term(html, "Issued", Day(issued));
        }

        if (invoice.DueAt is { } due)
        {
            Term(html, "Due", Day(due));
        }

        Term(html, "Plan", invoice.PlanName);
        Term(html, "Billing period", $"{Moment(invoice.PeriodStart)} – {Moment(invoice.PeriodEnd)}");
        if (invoice.RangeStart != invoice.PeriodStart || invoice.RangeEnd != invoice.PeriodEnd)
        {
            Term(html, "Usage", $"{Moment(invoice.RangeStart)} – {Moment(invoice.RangeEnd)}");
        }

        html.Append("</dl></div></section>");

        html.Append("<table><thead><tr><th>Description</th><th class=\"num\">Quantity</th><th>Price</th><th class=\"num\">Amount</th></tr></thead><tbody>");
        foreach (var line in invoice.Lines.OrderBy(l => l.Position))
        {
            html.Append("<tr><td>").Append(E(line.Description)).Append("</td><td class=\"num\">").Append(Number(line.Quantity))
                .Append("</td><td>").Append(E(Price(line, invoice.Currency))).Append("</td><td class=\"num\">")
                .Append(E(Money(line.Amount, invoice.Currency))).Append("</td></tr>");
            foreach (var detail in Details(line, invoice.Currency))
            {
                html.Append("<tr class=\"detail\"><td colspan=\"4\">").Append(E(detail)).Append("</td></tr>");
            }
        }

        html.Append("</tbody><tfoot><tr><th colspan=\"3\">Total</th><td class=\"num\">").Append(E(Money(invoice.Total, invoice.Currency)))
            .Append("</td></tr></tfoot></table>");
        html.Append("<p class=\"note\">").Append(E(Note(invoice, gracePeriod))).Append("</p></main></body></html>\n");
        return html.ToString();
    }

    public static string Text(Invoice invoice, TimeSpan gracePeriod)
    {
        var text = new StringBuilder(1024);
        text.Append(Title(invoice)).Append(" (").Append(invoice.Status).Append(")\n")
            .Append("From: ").Append(invoice.OrganizationName).Append('\n')
            .Append("Bill to: ").Append(invoice.CustomerName).Append(invoice.CustomerEmail is null ? string.Empty : $" <{invoice.CustomerEmail}>")
            .Append(", customer ID ").Append(invoice.CustomerExternalId).Append('\n');
        if (invoice.IssuedAt is { } issued)
        {
            text.Append("Issued: ").Append(Day(issued)).Append('\n');
        }

        if (invoice.DueAt is { } due)
        {
            text.Append("Due: ").Append(Day(due)).Append('\n');
        }

        text.Append("Plan: ").Append(invoice.PlanName).Append('\n')
            .Append("Billing period: ").Append(Moment(invoice.PeriodStart)).Append(" – ").Append(Moment(invoice.PeriodEnd)).Append("\n\n");
        foreach (var line in invoice.Lines.OrderBy(l => l.Position))
        {
            text.Append(line.Description).Append(": ").Append(Number(line.Quantity)).Append(" × ").Append(Price(line, invoice.Currency))
                .Append(" = ").Append(Money(line.Amount, invoice.Currency)).Append('\n');
            foreach (var detail in Details(line, invoice.Currency))
            {
                text.Append("    ").Append(detail).Append('\n');
            }
        }

        text.Append("\nTotal: ").Append(Money(invoice.Total, invoice.Currency)).Append("\n\n").Append(Note(invoice, gracePeriod)).Append('\n');
        return text.ToString();
    }

    public static string Money(decimal amount, string currency) =>
        amount.ToString("N" + Currencies.MinorUnits(currency).ToString(Invariant), Invariant) + " " + currency;

    private static string Price(InvoiceLine line, string currency) => line.PricingModel switch
    {
        null => $"{Number(line.UnitPrice ?? 0)} {currency} per period",
        Pricing.PerUnit => $"{Number(line.UnitPrice ?? 0)} {currency} per unit",
        Pricing.Graduated => "graduated tiers",
        Pricing.Volume => "volume tiers",
        Pricing.Package => $"{Number(line.PackagePrice ?? 0)} {currency} per {Number(line.PackageSize ?? 0)} units",
        _ => line.PricingModel,
    };

    /// <summary>The lines under a line that say how its amount was reached.</summary>
    private static IEnumerable<string> Details(InvoiceLine line, string currency)
    {
        foreach (var tier in line.Tiers ?? [])
        {
            var range = tier.UpTo is { } upTo ? $"up to {Number(upTo)}" : "above";
            var fee = tier.FlatFee == 0 ? string.Empty : $" + {Number(tier.FlatFee)} flat";
            yield return $"Tier {tier.Tier} ({range}): {Number(tier.Units)} × {Number(tier.UnitPrice)}{fee} = {Number(tier.Amount)} {currency}";
        }

        if (line.Packages is { } packages)
        {
            yield return $"{Number(packages)} package(s) of {Number(line.PackageSize ?? 0)} for {Number(line.PeriodQuantity)} units";
        }

        if (line.PreviouslyBilled != 0 || line.Quantity != line.PeriodQuantity)
        {
            yield return $"The period's usage so far, {Number(line.PeriodQuantity)}, costs {Money(line.PeriodAmount, currency)}; "
                         + $"earlier invoices of the period billed {Number(line.PeriodQuantity - line.Quantity)} for {Money(line.PreviouslyBilled, currency)}.";
        }
    }

    private static string Note(Invoice invoice, TimeSpan gracePeriod) => invoice.Status switch
    {
        InvoiceStatuses.Draft => $"This is a draft: it is recomputed until it is finalized (at the latest {Moment(invoice.CreatedAt + gracePeriod)}).",
        InvoiceStatuses.Paid => $"Paid on {Day(invoice.PaidAt!.Value)}. Thank you.",
        InvoiceStatuses.Void => $"This invoice was voided on {Day(invoice.VoidedAt!.Value)}: nothing is owed on it.",
        _ => $"Amounts in {invoice.Currency}. Each line is rounded to the currency's minor unit; the total is their sum.",
    };

    private static void Term(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value)).Append("</dd>");

    private static string Number(decimal value) => value.Normalize().ToString("#,0.############", Invariant);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", Invariant);

    private static string Moment(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    /// <summary>
    /// Encodes the five characters that mean something in HTML text and quoted attributes; the page is
    /// UTF-8, so everything else (names in any script, ×, –) stays as written.
    /// </summary>
    private static string E(string value)
    {
        var encoded = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            encoded.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return encoded.ToString();
    }
}
