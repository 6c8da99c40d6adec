/// A problem with what the user gave or asked for, which every command reports alike and exits
/// 2 for: at a line of a file (the runbook, a journal) it is a `diagnostic`, printed like a
/// compiler's (`file:line: error: ...`); otherwise it is about the request (a host the runbook
/// does not have, a target that does not exist) and printed as `runbook: error: ...`.
/// A failure of the machine (a target that does not answer, a command that fails) is not one:
/// it stays a typed error of the layer that meets it.
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
