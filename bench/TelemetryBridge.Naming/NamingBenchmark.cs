using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using NotesAspire.TelemetryBridge.Naming;
using TelemetryBridge.Shared;

namespace TelemetryBridge.Naming;

/// <summary>
/// <see cref="DatadogAttributes.AddTo"/> on one trace export shaped like the ones notes sends under load (<see cref="NotesExport"/>).
/// </summary>
[MemoryDiagnoser]
public class NamingBenchmark
{
    private byte[] _export = [];
    private byte[] _distinct = [];

    [GlobalSetup]
    public void Setup() => (_export, _distinct) = (NotesExport.Build().ToByteArray(), NotesExport.Build(distinct: true).ToByteArray());

    [Benchmark(OperationsPerInvoke = NotesExport.Spans, Description = "AddTo, per span")]
    public byte[] AddTo() => DatadogAttributes.AddTo(_export, 32 * 1024 * 1024);

    /// <summary>The worst case for the names remembered within a request: no two spans alike.</summary>
    [Benchmark(OperationsPerInvoke = NotesExport.Spans, Description = "AddTo, per span, every span different")]
    public byte[] AddToDistinct() => DatadogAttributes.AddTo(_distinct, 32 * 1024 * 1024);
}
