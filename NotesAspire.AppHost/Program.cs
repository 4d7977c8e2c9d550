Console.WriteLine("The AppHost is not written yet.");
