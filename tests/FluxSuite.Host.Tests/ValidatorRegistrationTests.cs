using System.Reflection;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ValidatorRegistrationTests(HostApp app)
{
    [Theory]
    [InlineData("FluxSuite.Listings")]
    [InlineData("FluxSuite.Reseller")]
    [InlineData("FluxSuite.Metering")]
    public void Given_a_module_Then_every_validator_it_declares_is_resolvable_as_one_shared_instance(string module)
    {
        var validators = Assembly.Load(module).GetTypes()
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>)).Select(i => (Type: t, Contract: i)))
            .ToList();

        Assert.NotEmpty(validators);
        foreach (var (type, contract) in validators)
        {
            var resolved = app.Factory.Services.GetServices(contract).Where(v => v?.GetType() == type).ToList();
            Assert.True(resolved.Count == 1, $"{type.FullName} is registered {resolved.Count} times as {contract.Name}.");
            Assert.Same(resolved[0], app.Factory.Services.GetServices(contract).Single(v => v?.GetType() == type));
        }
    }
}
