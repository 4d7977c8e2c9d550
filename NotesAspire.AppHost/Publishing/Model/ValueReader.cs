using System.Globalization;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace NotesAspire.AppHost.Publishing.Model;

/// <summary>
/// Turns what Aspire's environment and argument callbacks produce in publish mode (strings, <see cref="ReferenceExpression"/>,
/// endpoint references, parameters, connection strings) into <see cref="DeploymentValue"/>s, as the manifest publisher
/// turns them into <c>{resource.bindings...}</c> expressions. Values of parameters are never read.
/// </summary>
internal static class ValueReader
{
    public static DeploymentValue Read(object? value)
    {
        var parts = new List<ValuePart>();
        Append(parts, value, format: null);
        return new DeploymentValue(Merge(parts));
    }

    private static void Append(List<ValuePart> parts, object? value, string? format)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                parts.Add(new LiteralPart(text));
                break;
            case bool flag:
                parts.Add(new LiteralPart(flag ? "true" : "false"));
                break;
            case ParameterResource parameter:
                parts.Add(new ParameterPart(parameter, format));
                break;
            case EndpointReference endpoint:
                parts.Add(new EndpointPart(endpoint.Resource, endpoint.EndpointAnnotation, EndpointProperty.Url));
                break;
            case EndpointReferenceExpression expression:
                parts.Add(new EndpointPart(expression.Endpoint.Resource, expression.Endpoint.EndpointAnnotation, expression.Property));
                break;
            case ConnectionStringReference reference:
                Append(parts, reference.Resource.ConnectionStringExpression, format);
                break;
            case IResourceWithConnectionString resource:
                Append(parts, resource.ConnectionStringExpression, format);
                break;
            case ReferenceExpression expression:
                AppendExpression(parts, expression);
                break;
            case IFormattable formattable when value is not IValueProvider:
                parts.Add(new LiteralPart(formattable.ToString(null, CultureInfo.InvariantCulture)));
                break;
            default:
                throw new NotSupportedException(
                    $"Publishing cannot write a value of type {value.GetType().FullName} ({(value as IManifestExpressionProvider)?.ValueExpression}).");
        }
    }

    /// <summary>A <see cref="ReferenceExpression"/>'s format is composite-format text: <c>{0}</c> or <c>{0:uri}</c> per provider, braces doubled.</summary>
    private static void AppendExpression(List<ValuePart> parts, ReferenceExpression expression)
    {
        if (expression.IsConditional)
        {
            throw new NotSupportedException($"Publishing cannot write the conditional expression {expression.ValueExpression}.");
        }

        var format = expression.Format;
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }

            if (c != '{')
            {
                text.Append(c);
                continue;
            }

            var end = format.IndexOf('}', i);
            var placeholder = format[(i + 1)..end].Split(':', 2);
            var index = int.Parse(placeholder[0], CultureInfo.InvariantCulture);
            var itemFormat = placeholder.Length > 1 ? placeholder[1] : expression.StringFormats.ElementAtOrDefault(index);

            parts.Add(new LiteralPart(text.ToString()));
            text.Clear();
            Append(parts, expression.ValueProviders[index], itemFormat);
            i = end;
        }

        parts.Add(new LiteralPart(text.ToString()));
    }

    private static List<ValuePart> Merge(List<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart { Text: "" })
            {
                continue;
            }

            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
            {
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }
}
