import Foundation
import RunbookCore

/// Runs a plan step by step on its targets: skips what is already true, changes what is not,
/// and checks what the doc promises. A step runs on all of its targets at once (at most
/// `--forks` at a time), each target's steps in document order. A target whose step fails or
/// drifts drops out; the run stops once more than `--max-fail-percent` of a role's targets have
/// (by default at the first).
public final class Executor: @unchecked Sendable {
    public let plan: ExecPlan
    private let journal: Journal?
    let sessions: SessionPool
    /// Guards what the threads of one step share: the outcomes, the journal, the callbacks.
    private let lock = NSLock()
    /// Directories already reported missing, per target: said once, not at every step.
    private var missingDirectories: Set<String> = []

    public init(plan: ExecPlan, journal: Journal?) {
        self.plan = plan
        self.journal = journal
        sessions = SessionPool(environment: plan.variables, sshConfig: plan.options.sshConfig)
    }

    /// The signal that stopped the last run (SIGINT for Ctrl-C), if one did.
    public private(set) var interrupted: Int32?
    /// Why the journal could not be written, when it could not: the run stopped there.
    public private(set) var journalFailure: String?
    /// The person at the prompt quit before the plan's end (`exec --step`).
    public private(set) var declined = false
    /// Targets that dropped out (a step failed or drifted there), in the order they did.
    public private(set) var dropped: [Target] = []
    /// How many targets each role has lost, for `--max-fail-percent`.
    private var droppedByRole: [String: Int] = [:]
    /// Why the run stopped before the plan's end, when a role lost too many targets.
    public private(set) var stoppedBecause: String?

    /// What to do with the next step, asked before it runs.
    public enum Decision: Sendable {
        case run, skip, quit
        /// This step and every later one, without asking again.
        case all
    }

    /// Runs the plan and returns the outcomes, in the order the steps ended. It watches for an
    /// interruption (`Interruption.signal`) but installs no signal handler: that is the
    /// program's business (the CLI wraps the run in `Interruption.handling`). `asking` decides,
    /// before each step, whether it runs (`exec --step`, one target at a time); `starting` is
    /// called as a step starts on a target, `progress` as it ends there, both under a lock.
    @discardableResult
    public func run(
        asking: ((ExecPlan.Item) -> Decision)? = nil,
        starting: (ExecPlan.Item) -> Void = { _ in }, progress: (StepOutcome) -> Void = { _ in }
    ) -> [StepOutcome] {
        var outcomes: [StepOutcome] = []
        var asking = asking
        let roleSizes = plan.targetCounts
        var start = 0
        steps: while start < plan.items.count {
            var end = start + 1
            while end < plan.items.count, plan.items[end].step.index == plan.items[start].step.index { end += 1 }
            let items = plan.items[start..<end].filter { item in item.target.map { !dropped.contains($0) } ?? true }
            start = end
            // One target, or one at a time: no threads, and no copy of the outcomes.
            let width = asking == nil ? min(plan.options.forks, items.count) : 1
            if width == 1 {
                for item in items {
                    switch asking?(item) ?? .run {
                    case .quit:
                        declined = true
                        break steps
                    case .all:
                        asking = nil
                    case .skip:
                        let now = Timestamp.now()
                        finish(
                            StepOutcome(
                                step: item.step, target: item.target, verdict: .skipped,
                                message: "skipped at the prompt (--step)", started: now, ended: now),
                            into: &outcomes, progress: progress)
                        continue
                    case .run:
                        break
                    }
                    lock.withLock { starting(item) }
                    finish(execute(item), into: &outcomes, progress: progress)
                    if stops(roleSizes: roleSizes) { break }
                }
            } else {
                withUnsafeMutablePointer(to: &outcomes) { outcomes in
                    // Written only under the lock, by one thread at a time.
                    nonisolated(unsafe) let shared = outcomes
                    FanOut.run(items.count, width: width, stop: { Interruption.signal != nil }) { index in
                        let item = items[index]
                        lock.withLock { starting(item) }
                        let outcome = execute(item)
                        lock.withLock { record(outcome, into: &shared.pointee, progress: progress) }
                    }
                }
            }
            if stops(roleSizes: roleSizes) { break }
        }
        sessions.endAll()
        return outcomes
    }

    /// Records one outcome (see `record`) from the one thread that runs steps.
    private func finish(_ outcome: StepOutcome, into outcomes: inout [StepOutcome], progress: (StepOutcome) -> Void) {
        lock.withLock { record(outcome, into: &outcomes, progress: progress) }
    }

    /// Journals an outcome, marks an interruption, drops a target whose step failed or
    /// drifted, and reports it. Called under the lock.
    private func record(_ outcome: StepOutcome, into outcomes: inout [StepOutcome], progress: (StepOutcome) -> Void) {
        var outcome = outcome
        let signal = Interruption.signal
        if let signal, outcome.verdict != .skipped {
            outcome.verdict = .failed
            outcome.message = "interrupted by signal \(signal); the step's processes were killed"
        }
        do {
            try journal?.record(outcome)
            if let signal, interrupted == nil {
                try journal?.recordInterruption(at: Timestamp.now(), signal: signal)
            }
        } catch {
            journalFailure = "\(error)"
        }
        if let signal { interrupted = signal }
        if outcome.stopsRun, let target = outcome.target, !dropped.contains(target) {
            dropped.append(target)
            droppedByRole[outcome.step.host ?? "", default: 0] += 1
        }
        progress(outcome)
        outcomes.append(outcome)
    }

    /// Whether the run stops here: a role has lost more than `--max-fail-percent` of its
    /// targets (with the default 0, any at all).
    private func stops(roleSizes: [String: Int]) -> Bool {
        if interrupted != nil || journalFailure != nil { return true }
        for (role, lost) in droppedByRole.sorted(by: { $0.key < $1.key }) {
            let size = roleSizes[role] ?? lost
            let percent = 100 * Double(lost) / Double(max(size, 1))
            if percent > plan.options.maxFailPercent {
                stoppedBecause =
                    "\(lost) of \(size) target(s) of \(role.isEmpty ? PlanRenderer.unassigned : role) dropped out (\(Int(percent.rounded())) %, over --max-fail-percent \(Int(plan.options.maxFailPercent)))"
                return true
            }
        }
        return false
    }

    private func execute(_ item: ExecPlan.Item) -> StepOutcome {
        outcome(of: item) { target, outcome in
            switch item.step.action {
            case .sysctl(let setting): try applySysctl(setting, on: target, into: &outcome)
            case .route(let change): try applyRoute(change, on: target, into: &outcome)
            case .address(let change): try applyAddress(change, on: target, into: &outcome)
            case .ipvs(let rule): try applyIPVS(rule, on: target, into: &outcome)
            case .command(let command): try runCommand(command, step: item.step, on: target, into: &outcome)
            }
        }
    }

    /// Where a persisted setting's file is on the target; nil, with the step failed, where the
    /// target has no place for it (a namespace has its own copy only of files under /etc).
    func persistPath(_ file: String, on target: Target, into outcome: inout StepOutcome) -> String? {
        guard let path = target.persistPath(file) else {
            outcome.verdict = .failed
            outcome.message = "cannot persist to \(file) in \(target): only files under /etc have a per-namespace copy"
            return nil
        }
        return path
    }

    /// Whether a missing directory (`TARGET DIR`) is reported for the first time: said once,
    /// not at every step, from whichever thread runs a step there.
    func firstReport(ofMissing directory: String) -> Bool {
        lock.withLock { missingDirectories.insert(directory).inserted }
    }

    /// A step's outcome on its target, timed: skipped where the host has no target, failed
    /// where `body` throws (a target out of reach).
    func outcome(of item: ExecPlan.Item, _ body: (Target, inout StepOutcome) throws -> Void) -> StepOutcome {
        let started = Timestamp.now()
        var outcome = StepOutcome(
            step: item.step, target: item.target, verdict: .skipped, message: "", started: started, ended: started)
        guard let target = item.target else {
            outcome.message = "no target for host '\(item.step.host ?? "")'"
            return outcome
        }
        do {
            try body(target, &outcome)
        } catch {
            outcome.verdict = .failed
            outcome.message = "\(error)"
        }
        outcome.ended = Timestamp.now()
        return outcome
    }

    // MARK: sysctl

    private func applySysctl(_ setting: SysctlSetting, on target: Target, into outcome: inout StepOutcome) throws {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        let (before, after) = try state.setSysctl(setting.key, setting.value)
        var changes: [String] = []
        var priorValue: String? = nil
        if !SysctlConfigFile.sameValue(before, after) {
            priorValue = before
            changes.append("\(setting.key): \(before) -> \(after)")
        }
        var priorFile: (path: String, content: String?)? = nil
        defer {
            if !changes.isEmpty {
                outcome.undo = .sysctl(
                    key: setting.key, value: priorValue, file: priorFile?.path, fileContent: priorFile?.content)
            }
        }
        guard SysctlConfigFile.sameValue(after, setting.value) else {
            outcome.verdict = .failed
            outcome.message = "\(setting.key) reads \(after) after writing \(setting.value)"
            return
        }
        if let file = setting.persist {
            guard let path = persistPath(file, on: target, into: &outcome) else { return }
            if let previous = try SysctlConfigFile.set(setting.key, to: setting.value, inFileAt: path, on: state) {
                priorFile = (path, previous)
                changes.append("\(path) updated")
            }
        }
        outcome.verdict = changes.isEmpty ? .unchanged : .changed
        outcome.message = changes.isEmpty ? "\(setting.key) = \(after)" : changes.joined(separator: "; ")
    }
}
