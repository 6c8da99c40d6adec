import RunbookCore

/// One comparison of the doc with a target.
public struct AuditFinding: Sendable {
    public enum Kind: String, Sendable {
        case sysctl, persisted, routes, address, ipvs, command
        /// The target itself, when it could not be reached or read.
        case target
    }

    public enum Verdict: String, Sendable {
        case ok, drift, ineffective, overridden
        case notAudited = "not-audited"
        /// The target could not be reached or read: nothing is known about it.
        case error

        public var isProblem: Bool { self == .drift || self == .ineffective || self == .overridden }
    }

    public var host: String?
    public var target: Target
    public var kind: Kind
    /// The key, the table, or the command.
    public var subject: String
    public var expected: String?
    public var actual: String?
    public var verdict: Verdict
    /// Why: the rule that makes a value ineffective, the file that overrides, a diff.
    public var detail: String?
    public var file: String
    public var line: Int
    /// Seconds spent reading what this finding compares.
    public var time: Double? = nil

    /// This context as the one finding about a target that could not be reached or read.
    func error(_ reason: String, since started: Double) -> AuditFinding {
        var finding = self
        finding.kind = .target
        finding.subject = target.description
        finding.verdict = .error
        finding.detail = reason
        finding.time = Timestamp.now() - started
        return finding
    }

    /// Takes a comparison's verdict: a difference is drift, with the diff as detail.
    mutating func record(_ result: OutputComparison.Result) {
        if case .differs(let diff) = result {
            verdict = .drift
            detail = diff
        }
    }

    /// A change's end state: present (added) or absent (deleted), drift when it is not so.
    mutating func recordPresence(wanted: Bool, present: Bool) {
        expected = wanted ? "present" : "absent"
        actual = present ? "present" : "absent"
        if wanted != present { verdict = .drift }
    }
}

extension [AuditFinding] {
    /// What `audit --update` writes back: the live output of each command whose documented
    /// output drifted, with the step that documents it (once, however many targets drifted:
    /// the first target's output is written).
    public func outputUpdates(in runbook: Runbook) -> [(step: Step, actual: String)] {
        filter { $0.kind == .command && $0.verdict == .drift }.compactMap { finding in
            guard let actual = finding.actual, let step = runbook.steps.first(where: { $0.line == finding.line })
            else { return nil }
            return (step, actual)
        }
    }
}
