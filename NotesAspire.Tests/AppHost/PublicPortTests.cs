using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>The tutorial's ports, and what Ports__* may move them to: a port that cannot be had stops the run before anything starts, saying how to move the service.</summary>
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

    [Theory]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("abc")]
    public async Task APortThatIsNotOneIsRefused(string port)
    {
        var message = await AppHostModel.RefusalAsync($"Ports:notes={port}", "ConnectionStrings:notesdb=Host=127.0.0.1");

        Assert.Equal($"Ports__notes (Ports:notes) is '{port}'; it takes a port number from 1 to 65535.", message);
    }

    [Fact]
    public async Task TwoServicesOnOnePortAreRefused()
    {
        var port = FreePorts.One();
        var message = await AppHostModel.RefusalAsync($"Ports:notes={port}", $"Ports:calendar={port}", "ConnectionStrings:notesdb=Host=127.0.0.1");

        Assert.Equal($"calendar and notes would both listen on port {port}. Move one with Ports__calendar or Ports__notes.", message);
    }
}
