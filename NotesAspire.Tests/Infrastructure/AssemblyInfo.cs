using System.Runtime.Versioning;

// The tests run PostgreSQL through setpriv, signal processes with kill(2) and read /proc: Linux is what they run on.
[assembly: SupportedOSPlatform("linux")]
