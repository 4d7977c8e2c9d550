using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>A tutorial port another program holds: the run stops before starting anything, saying how to move the service.</summary>
public sealed class PublicPortTests
{
    [Fact]
    public async Task APortInUseStopsTheRunWithAMessageSayingHowToMoveTheService()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var free = PostgresFixture.FreeTcpPort();

        var exception = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
                [$"Ports:calendar={free}", $"Ports:notes={taken}", "NotesAspire:Postgres=local"]);
            await using var app = await builder.BuildAsync();
        });

        var refusal = Assert.Single(Chain(exception).OfType<DistributedApplicationException>());
        Assert.Equal(
            $"Port {taken}, where notes listens, is in use by another program (another AppHost?). Stop it, or move notes with Ports__notes=<a free port>.",
            refusal.Message);
    }

    private static IEnumerable<Exception> Chain(Exception exception) =>
        exception is AggregateException aggregate
            ? aggregate.InnerExceptions.SelectMany(Chain)
            : exception.InnerException is { } inner ? [exception, .. Chain(inner)] : [exception];
}
