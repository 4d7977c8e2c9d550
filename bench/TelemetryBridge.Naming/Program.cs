using BenchmarkDotNet.Running;

// The bridge's naming pass, on its own: see bench/README.md.
BenchmarkRunner.Run<TelemetryBridge.Naming.NamingBenchmark>(args: args);
