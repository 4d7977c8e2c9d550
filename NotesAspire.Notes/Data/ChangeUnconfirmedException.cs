using Npgsql;

namespace NotesAspire.Notes.Data;

/// <summary>A change sent to PostgreSQL whose answer never came: it may or may not have been made.</summary>
public sealed class ChangeUnconfirmedException(NpgsqlException exception)
    : Exception("The database took the change but never answered whether it made it.", exception);
