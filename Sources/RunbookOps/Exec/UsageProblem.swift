import RunbookCore

/// Why a plan or a lab cannot be made: a usage problem (a target that does not exist), or one of
/// the runbook's own at its line, which is then a `diagnostic`, for the CLI to print like a
/// compiler's (`file:line: error: ...`).
public struct UsageProblem: Error, Sendable, CustomStringConvertible {
    public var description: String
    public var diagnostic: Diagnostic?

    public init(description: String) {
        self.description = description
    }

    public init(_ diagnostic: Diagnostic) {
        description = "\(diagnostic.location.file):\(diagnostic.location.line): \(diagnostic.message)"
        self.diagnostic = diagnostic
    }
}
