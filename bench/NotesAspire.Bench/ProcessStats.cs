namespace NotesAspire.Bench;

/// <summary>CPU time and memory of a process, and the machine's idle time, from /proc.</summary>
public static class ProcessStats
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>User plus system CPU seconds the process has used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
    }

    /// <summary>Seconds all online CPUs together have spent idle or waiting for I/O since boot (/proc/stat).</summary>
    public static double MachineIdleSeconds()
    {
        // "cpu  user nice system idle iowait irq softirq steal ...", in ticks, summed over every online CPU.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(cpu[4]) + long.Parse(cpu[5])) / TicksPerSecond;
    }

    /// <summary>
    /// The CPUs /proc/stat's first line sums ("cpu0", "cpu1", ...): the divisor of <see cref="MachineIdleSeconds"/>, which
    /// <see cref="Environment.ProcessorCount"/> need not be (it follows this process's affinity and limits).
    /// </summary>
    public static int OnlineCpus { get; } =
        File.ReadLines("/proc/stat").Count(line => line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]));

    public static long RssMiB(int pid) => StatusKiB(pid, "VmRSS:") / 1024;

    public static long PeakMiB(int pid) => StatusKiB(pid, "VmHWM:") / 1024;

    private static long StatusKiB(int pid, string field) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith(field, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
