using Google.Protobuf;
using Microsoft.Extensions.Logging.Abstractions;
using NotesAspire.TelemetryBridge;
using NotesAspire.TelemetryBridge.Otlp;
using NotesAspire.TelemetryBridge.Sending;
using NotesAspire.Tests.Infrastructure;
using static NotesAspire.TelemetryBridge.Otlp.Proto.Span.Types;

namespace NotesAspire.Tests.TelemetryBridge;

/// <summary>
/// A destination of the bridge in the test's process, sending to the stand-in agent over HTTP: its counts are read as
/// fast as a loop can, which /api/stats over HTTP from another process could not do.
/// </summary>
public sealed class DestinationStatsTests
{
    [Fact]
    public async Task StatsAddUpAtEveryMomentWhileRequestsArriveAreDroppedAndAreSent()
    {
        await using var agent = await StandInAgent.StartAsync();
        // A small queue and an agent that holds its answers at first: requests are queued, dropped and sent at once.
        var release = new TaskCompletionSource();
        agent.Gate = release.Task;
        var tuning = new BridgeTuning { QueueCapacity = 20 };
        await using var destination = new Destination("datadog", new OtlpHttpSender(agent.Address, [], tuning.RequestTimeout), tuning, NullLogger.Instance);
        destination.Start();
        var export = new OtlpExport(OtlpSignal.Traces, Otlp.Trace(Otlp.Span("request", SpanKind.Internal)).ToByteArray());

        var arriving = Task.Run(async () =>
        {
            for (var i = 0; i < 20_000; i++)
            {
                destination.Enqueue(export);
                if (i == 5_000)
                {
                    release.SetResult();
                }

                if (i % 100 == 0)
                {
                    // Room for the sender to take and settle requests between bursts.
                    await Task.Yield();
                }
            }
        });

        var wrong = new List<DestinationStats>();
        do
        {
            var stats = destination.Stats;
            if (stats.Received != stats.Sent + stats.Rejected + stats.Dropped + stats.Queued + stats.NotCarried && wrong.Count < 10)
            {
                wrong.Add(stats);
            }
        }
        while (!arriving.IsCompleted);

        await arriving;
        Assert.Empty(wrong);
        Assert.True(await Eventually.IsTrue(() => destination.Stats is { Dropped: > 0, Sent: > 0 }), destination.Stats.ToString());
    }
}
