using System.Net;

namespace NotesAspire.Tests.Infrastructure;

public static class HttpExpectations
{
    /// <summary>Sends the request and asserts its status and its body, byte for byte, as the tutorial shows them.</summary>
    public static async Task ExpectAsync(this HttpClient client, HttpMethod method, string url, string body, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url));
        Assert.Equal((status, body), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }
}
