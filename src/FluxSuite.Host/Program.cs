using FluxSuite.Host;
using FluxSuite.Listings;
using FluxSuite.Metering;
using FluxSuite.Reseller;

var builder = WebApplication.CreateBuilder(args);

builder.AddFluxLogging();
builder.AddFluxPlatform();
builder.AddFluxOpenApi();
builder.AddFluxScheduler();
builder.AddFluxHealth();
builder.AddFluxPages();

builder.AddListings();
builder.AddReseller();
builder.AddMetering();

var app = builder.Build();

app.UseFluxPipeline();
app.MapFluxOpenApi();
app.MapFluxHealth();
app.MapFluxScheduler();
app.MapFluxPages();

app.MapListings();
app.MapReseller();
app.MapMetering();

await app.RunAsync();

/// <summary>The entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
