using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// A value of the app model as a deployment sees it: text, with the parts only the target knows (a parameter's value, an
/// endpoint's host or port) left as references, so that a target writes <c>${VAR}</c> or a Kubernetes secret, never a value.
/// </summary>
public sealed record DeploymentValue(IReadOnlyList<ValuePart> Parts)
{
    public static DeploymentValue Text(string text) => new([new LiteralPart(text)]);

    /// <summary>The text when the value has no references (a service tag, a port number), else null.</summary>
    public string? Literal => Parts.All(part => part is LiteralPart) ? string.Concat(Parts.Cast<LiteralPart>().Select(part => part.Text)) : null;

    /// <summary>The parameter when the whole value is one parameter (a password variable), else null.</summary>
    public ParameterPart? SingleParameter => Parts is [ParameterPart parameter] ? parameter : null;

    /// <summary>
    /// Text a target must take as it is. Compose reads every <c>$</c> of its file as the start of a variable, the kubelet
    /// <c>$(NAME)</c> in a container's env values, command and args; both read <c>$$</c> as one <c>$</c>.
    /// </summary>
    public static string Escaped(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    public IEnumerable<ParameterResource> Parameters => Parts.OfType<ParameterPart>().Select(part => part.Parameter);

    /// <summary>Renders the value for one target, which says how each reference is written there; its text is <see cref="Escaped"/>.</summary>
    public string Render(Func<ParameterPart, string> parameter, Func<EndpointPart, string> endpoint) =>
        string.Concat(Parts.Select(part => part switch
        {
            LiteralPart literal => Escaped(literal.Text),
            ParameterPart reference => parameter(reference),
            EndpointPart reference => endpoint(reference),
            _ => throw new InvalidOperationException($"Unknown value part {part.GetType().Name}."),
        }));
}

public abstract record ValuePart;

public sealed record LiteralPart(string Text) : ValuePart;

/// <param name="Format">Aspire's format of the value in an expression (<c>uri</c> for a URI-encoded password), or null.</param>
public sealed record ParameterPart(ParameterResource Parameter, string? Format) : ValuePart;

/// <summary>A property of an endpoint of another resource (or the same one), as seen from inside the deployment's network.</summary>
public sealed record EndpointPart(IResource Resource, EndpointAnnotation Endpoint, EndpointProperty Property) : ValuePart
{
    /// <summary>The property's text where the endpoint is reached at <paramref name="host"/> on its container port.</summary>
    public string ValueAt(string host)
    {
        var port = DeployedResource.ContainerPort(Endpoint).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Property switch
        {
            EndpointProperty.Url => $"{Endpoint.UriScheme}://{host}:{port}",
            EndpointProperty.Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => Endpoint.UriScheme,
            EndpointProperty.TlsEnabled => Endpoint.TlsEnabled ? "true" : "false",
            _ => throw new NotSupportedException($"Endpoint property {Property}."),
        };
    }
}
