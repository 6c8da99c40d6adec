/// A place in a runbook file. Lines are 1-based and always count the lines of the file as it is
/// on disk (front matter included), so that an editor can jump to them.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// An error or warning about a runbook, printed the way compilers print theirs so that editors
/// and CI annotators pick it up: `file:line: error: message`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ file: String, _ line: Int, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: SourceLocation(file: file, line: line), message)
    }

    public static func warning(_ file: String, _ line: Int, _ message: String) -> Diagnostic {
        Diagnostic(.warning, at: SourceLocation(file: file, line: line), message)
    }

    public var description: String {
        "\(location.file):\(location.line): \(severity.rawValue): \(message)"
    }
}
