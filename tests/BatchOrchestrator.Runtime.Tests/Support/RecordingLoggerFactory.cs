using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace BatchOrchestrator.Runtime.Tests.Support;

/// <summary>Keeps the runtime's log messages, so a test can wait for one the runtime writes when it meets a failure.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Messages => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(_messages);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("Records only.");

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
