using FluxSuite.Metering.ApiKeys;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// <c>/metering/dashboard/api-keys</c>: <c>GET /api-keys</c>, <c>POST /api-keys</c> (the new key is shown
/// in this one answer and never again) and <c>DELETE /api-keys/{id}</c>.
/// </summary>
internal sealed class ApiKeysModel(MeteringDbContext db, TimeProvider clock) : DashboardPage
{
    public static readonly string[] Scopes = [MeteringAuthentication.UsageWrite, MeteringAuthentication.UsageRead];

    public IReadOnlyList<ApiKeyResponse> Keys { get; private set; } = [];

    /// <summary>The key just created: rendered into this response only, never stored in a cookie or redirected with.</summary>
    public CreatedApiKeyResponse? Created { get; private set; }

    public CreateApiKey.Request Input { get; private set; } = new() { Scopes = [MeteringAuthentication.UsageWrite] };

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var form = new FormReader(Request.Form);
        Input = new CreateApiKey.Request { Name = form.Text("name"), Scopes = form.All("scopes") };
        var created = await CallAsync<CreateApiKey.Request, CreatedApiKeyResponse>(Input, r => CreateApiKey.Handle(r, Caller, db, clock, HttpContext.RequestAborted));
        if (created.Succeeded)
        {
            Created = created.Value;
            Input = new CreateApiKey.Request { Scopes = [MeteringAuthentication.UsageWrite] };
            // The answer holds a secret: no cache may keep it.
            Response.Headers.CacheControl = "no-store";
            return await LoadAsync() ?? Page();
        }

        var refusal = Error!;
        return await LoadAsync() ?? Refused(refusal);
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        var revoked = await CallAsync(RevokeApiKey.Handle(id, Caller, db, clock, HttpContext.RequestAborted));
        if (!revoked.Succeeded)
        {
            return ReadFailed(revoked.Error!);
        }

        Notice = "Key revoked: it stops working from the next request on.";
        return Redirect($"{Root}/api-keys");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var list = await CallAsync<ListApiKeys.Response>(ListApiKeys.Handle(Caller, db, HttpContext.RequestAborted));
        Keys = list.Value?.Data ?? [];
        return list.Succeeded ? null : ReadFailed(list.Error!);
    }
}
