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
    public async Task APortThatStaysInUseStopsTheRunWithAMessageSayingHowToMoveTheService()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.NotesAspire_AppHost>(
            [$"Ports:calendar={FreePorts.One()}", $"Ports:notes={taken}", "ConnectionStrings:notesdb=Host=127.0.0.1"]);
        await using var app = await builder.BuildAsync();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        // Aspire.Hosting.Testing hands the run's failure on wrapped.
        var refusal = Assert.IsType<DistributedApplicationException>(failure.GetBaseException());
        Assert.Equal(
            $"Port {taken}, where notes listens, is in use by another program (another AppHost?). Stop it, or move notes with Ports__notes=<a free port>.",
            refusal.Message);
    }
}
