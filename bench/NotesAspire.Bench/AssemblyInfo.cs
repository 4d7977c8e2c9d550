using System.Runtime.Versioning;

// Runs the services and PostgreSQL as the tests do, through setpriv and kill(2): Linux only.
[assembly: SupportedOSPlatform("linux")]
