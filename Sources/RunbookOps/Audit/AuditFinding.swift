import RunbookCore

/// One comparison of the doc with a target.
public struct AuditFinding: Sendable {
    public enum Kind: String, Sendable {
        case sysctl, persisted, routes, address, ipvs, command
    }

    public enum Verdict: String, Sendable {
        case ok, drift, ineffective, overridden
        case notAudited = "not-audited"

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
