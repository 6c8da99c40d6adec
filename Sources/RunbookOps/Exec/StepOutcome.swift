import RunbookCore

/// What happened when one step ran on one target.
public struct StepOutcome: Sendable {
    public enum Verdict: String, Sendable, CaseIterable {
        /// A command ran and printed what the doc says (or the doc says nothing).
        case ok
        /// The target's state was changed to what the step asks for.
        case changed
        /// The target already was as the step asks: nothing was done.
        case unchanged
        case failed
        /// The step's host has no target.
        case skipped
        /// The command ran but printed something other than what the doc promises.
        case drift
        /// `exec --check`: the step would change the target (nothing was changed).
        case wouldChange = "would-change"
    }

    public var step: Step
    public var target: Target?
    public var verdict: Verdict
    /// One line for the progress display and the journal ("1 -> 0", "exit status 2").
    public var message: String
    /// A unified diff, for drift and for a warned starting state.
    public var diff: String?
    /// Not a failure, but worth a look (a documented starting state that differs, a missing
    /// directory).
    public var warnings: [String] = []
    public var stdout = ""
    public var stderr = ""
    public var exitStatus: Int32?
    /// How to put back what the step changed; nil when it changed nothing (or cannot be undone).
    public var undo: Undo?
    public var started: Double
    public var ended: Double

    public var stopsRun: Bool { verdict == .failed || verdict == .drift }
}

/// The state a typed step replaced, as the journal records it for `runbook exec --rollback`.
public enum Undo: Sendable, Equatable {
    /// The runtime value before (nil when it was already right) and, when the step changed a
    /// persisted file, its content before (nil when the file did not exist).
    case sysctl(key: String, value: String?, file: String?, fileContent: String?)
    /// Routes a deletion removed (to add back) and routes an addition created (to delete).
    case route(restore: [RouteEntry], remove: [RouteEntry])
    /// Addresses a deletion took off (to put back) and addresses an addition put on (to take off).
    case address(restore: [InterfaceAddress], remove: [InterfaceAddress])
}
