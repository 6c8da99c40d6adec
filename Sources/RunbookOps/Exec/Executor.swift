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
    /// Why the run stopped before the plan's end, when a role lost too many targets.
    public private(set) var stoppedBecause: String?

    /// What to do with the next step, asked before it runs.
    public enum Decision: Sendable {
        case run, skip, quit
        /// This step and every later one, without asking again.
        case all
    }

    /// Runs the plan and returns the outcomes, in the order the steps ended. `asking` decides,
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
        Interruption.handling {
            var start = 0
            while start < plan.items.count {
                var end = start + 1
                while end < plan.items.count, plan.items[end].step.index == plan.items[start].step.index { end += 1 }
                let items = plan.items[start..<end].filter { item in item.target.map { !dropped.contains($0) } ?? true }
                start = end
                let width = asking == nil ? plan.options.forks : 1
                if width == 1 {
                    for item in items {
                        switch asking?(item) ?? .run {
                        case .quit:
                            declined = true
                            sessions.endAll()
                            return
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
                        if stops(after: outcomes, roleSizes: roleSizes) { break }
                    }
                } else {
                    nonisolated(unsafe) var shared = outcomes
                    FanOut.run(items.count, width: width, stop: { Interruption.signal != nil }) { index in
                        let item = items[index]
                        lock.withLock { starting(item) }
                        let outcome = execute(item)
                        lock.withLock { record(outcome, into: &shared, progress: progress) }
                    }
                    outcomes = shared
                }
                if interrupted != nil || journalFailure != nil || stops(after: outcomes, roleSizes: roleSizes) { break }
            }
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
        if outcome.stopsRun, let target = outcome.target, !dropped.contains(target) { dropped.append(target) }
        progress(outcome)
        outcomes.append(outcome)
    }

    /// Whether the run stops here: a role has lost more than `--max-fail-percent` of its
    /// targets (with the default 0, any at all).
    private func stops(after outcomes: [StepOutcome], roleSizes: [String: Int]) -> Bool {
        if interrupted != nil || journalFailure != nil { return true }
        var lost: [String: Set<Target>] = [:]
        for outcome in outcomes where outcome.stopsRun {
            guard let target = outcome.target else { continue }
            lost[outcome.step.host ?? "", default: []].insert(target)
        }
        for (role, targets) in lost.sorted(by: { $0.key < $1.key }) {
            let size = roleSizes[role] ?? targets.count
            let percent = 100 * Double(targets.count) / Double(max(size, 1))
            if percent > plan.options.maxFailPercent {
                stoppedBecause =
                    "\(targets.count) of \(size) target(s) of \(role.isEmpty ? PlanRenderer.unassigned : role) dropped out (\(Int(percent.rounded())) %, over --max-fail-percent \(Int(plan.options.maxFailPercent)))"
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
            guard let path = target.persistPath(file) else {
                outcome.verdict = .failed
                outcome.message =
                    "cannot persist to \(file) in \(target): only files under /etc have a per-namespace copy"
                return
            }
            if let previous = try SysctlConfigFile.set(setting.key, to: setting.value, inFileAt: path, on: state) {
                priorFile = (path, previous)
                changes.append("\(path) updated")
            }
        }
        outcome.verdict = changes.isEmpty ? .unchanged : .changed
        outcome.message = changes.isEmpty ? "\(setting.key) = \(after)" : changes.joined(separator: "; ")
    }

    // MARK: route

    private func applyRoute(_ change: RouteChange, on target: Target, into outcome: inout StepOutcome) throws {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        let before = try state.routes()
        let matching = before.filter { change.matches($0) }
        if change.isDone(in: before) {
            outcome.verdict = .unchanged
            outcome.message =
                change.action == .del
                ? "no route \(change.destination) to delete" : "route \(change.destination) present"
            return
        }
        var revertTimer: String? = nil
        if target.mayLoseItsConnection, change.action != .add {
            let peer = try state.peerAddress()
            var remaining = before.filter { !change.matches($0) }
            if change.action.overwrites {
                remaining.append(
                    RouteEntry(
                        destination: change.destination, gateway: change.gateway, device: change.device, metric: 0,
                        flags: nil))
            }
            if let peer, !remaining.contains(where: { IPv4.contains($0.destination, peer) }) {
                let cut =
                    "\(change.iprouteCommand) would leave \(target) no route back to \(peer), the address its SSH connection comes from"
                if let seconds = plan.options.revertAfter {
                    revertTimer = try startRevertTimer(restoring: matching, after: change, seconds: seconds, on: target)
                    outcome.warnings.append("\(cut); applying with a revert timer of \(Int(seconds)) s")
                } else if plan.options.allowDisconnect {
                    outcome.warnings.append("\(cut); applying anyway (--allow-disconnect)")
                } else {
                    outcome.verdict = .failed
                    outcome.message =
                        "\(cut). Refused: use --revert-after SECONDS to apply it with an automatic revert, or --allow-disconnect"
                    return
                }
            }
        }
        let applyTimeout =
            plan.options.revertAfter.map { min(plan.options.timeout, max(1, $0 / 2)) } ?? plan.options.timeout
        let result: ShellSession.Outcome
        do {
            result = try sessions.run(
                change.iprouteCommand, on: target, timeout: revertTimer == nil ? plan.options.timeout : applyTimeout)
            if let timer = revertTimer {
                _ = try sessions.run("kill \(timer)", on: target, timeout: applyTimeout)
                outcome.warnings.append("the connection survived the change; the revert timer was cancelled")
            }
        } catch  where revertTimer != nil {
            outcome.verdict = .failed
            outcome.message =
                "the SSH connection was lost after \(change.iprouteCommand); \(target) restores the old route within \(Int(plan.options.revertAfter ?? 0)) s"
            return
        }
        outcome.stdout = result.stdout
        outcome.stderr = result.stderr
        outcome.exitStatus = result.status
        guard result.status == 0 else {
            outcome.verdict = .failed
            outcome.message = "\(change.iprouteCommand) exited \(result.status): \(result.stderr.trimmingSpacesString)"
            return
        }
        let after = try state.routes().filter { change.matches($0) }
        let removed = matching.filter { !after.contains($0) }, added = after.filter { !matching.contains($0) }
        if !removed.isEmpty || !added.isEmpty { outcome.undo = .route(restore: removed, remove: added) }
        guard (change.action == .del) == after.isEmpty else {
            outcome.verdict = .failed
            outcome.message = "\(change.iprouteCommand) succeeded but the table does not show it"
            return
        }
        outcome.verdict = .changed
        outcome.message = change.iprouteCommand
    }

    /// Starts, detached on the target, the commands that put the routes back after `seconds`;
    /// returns the timer's process id, to cancel it once the connection is known to survive.
    private func startRevertTimer(
        restoring routes: [RouteEntry], after change: RouteChange, seconds: Double, on target: Target
    ) throws -> String {
        var restore = routes.map { RouteChange($0, action: .add).iprouteCommand }
        if change.action.overwrites { restore.insert("ip route del \(change.destination)", at: 0) }
        let script = "sleep \(Int(seconds.rounded(.up))); " + restore.joined(separator: "; ")
        let result = try sessions.run(
            "nohup sh -c \(ShellQuote.quote(script)) >/dev/null 2>&1 </dev/null & echo $!", on: target,
            timeout: plan.options.timeout)
        let pid = result.stdout.trimmingTrailingNewlines
        guard result.status == 0, !pid.isEmpty, pid.allSatisfy(\.isNumber) else {
            throw TargetStateFailure(description: "cannot start the revert timer on \(target): \(result.stderr)")
        }
        return pid
    }

    // MARK: command

    private func runCommand(_ command: Command, step: Step, on target: Target, into outcome: inout StepOutcome) throws {
        guard command.isComplete else {
            outcome.verdict = .failed
            outcome.message =
                "as the runbook writes it, a shell would never finish this command (see the warning at its line); not run"
            return
        }
        let comparison: OutputComparison.Result
        if let expect = command.expect, expect.isKernelTable {
            // A typed table is read from the kernel, not from the command's output.
            guard let result = try compareTable(expect, command: command.text, on: target, into: &outcome) else {
                return
            }
            comparison = result
        } else {
            try runShell(command, step: step, on: target, into: &outcome)
            guard outcome.verdict == .ok, let expect = command.expect else { return }
            comparison = OutputComparison.compare(expect, actual: outcome.stdout, command: command.text)
        }
        guard let expect = command.expect else { return }
        let what: (String, String) =
            expect.routes != nil
            ? ("routes", "routes differ")
            : expect.ipvs != nil
                ? ("IPVS table", "IPVS table differs")
                : expect.addresses != nil ? ("addresses", "addresses differ") : ("output", "output differs")
        switch comparison {
        case .matches:
            outcome.verdict = .ok
            outcome.message = "\(what.0) as documented"
        case .differs(let diff):
            outcome.diff = diff
            if expect.isPrecondition && !plan.options.strict {
                outcome.verdict = .ok
                outcome.warnings.append("the documented starting state differs (a warning; --strict makes it fatal)")
                outcome.message = "starting state differs from the doc"
            } else {
                outcome.verdict = .drift
                outcome.message = "\(what.1) from the doc"
            }
        }
    }

    /// Runs a command as written in the target's shell; `ok` when it exits 0.
    private func runShell(_ command: Command, step: Step, on target: Target, into outcome: inout StepOutcome) throws {
        let shell = try sessions.session(for: target)
        let result: ShellSession.Outcome
        do {
            result = try shell.run(command.text, cwd: step.cwd, timeout: plan.options.timeout)
        } catch {
            // The session is gone (timed out and killed, or ended by the command); the pool
            // starts a new one for the next step.
            if case .sessionEnded(let stdout, let stderr) = error {
                outcome.stdout = stdout
                outcome.stderr = stderr
            }
            throw error
        }
        outcome.stdout = result.stdout
        outcome.stderr = result.stderr
        outcome.exitStatus = result.status
        if result.missingDirectory, let cwd = step.cwd,
            lock.withLock({ missingDirectories.insert("\(target) \(cwd)").inserted })
        {
            outcome.warnings.append(
                "directory \(cwd) does not exist on \(target); commands documented there run in the shell's directory")
        }
        guard result.status == 0 else {
            outcome.verdict = .failed
            let firstError = result.stderr.split(separator: "\n").first.map { ": \($0)" } ?? ""
            outcome.message = "exit status \(result.status)\(firstError)"
            return
        }
        outcome.verdict = .ok
        outcome.message = "exit status 0"
    }
}

extension RouteChange {
    /// Whether the table already is as this change leaves it: nothing to do. A replace that
    /// leaves out the gateway or device cannot be known to be done, so it is made.
    func isDone(in table: [RouteEntry]) -> Bool {
        let present = table.contains { matches($0) }
        switch action {
        case .del: return !present
        case .add: return present
        case .replace, .change: return present && gateway != nil && device != nil
        }
    }

    /// Whether a kernel route is the one this change names (gateway and device only when the
    /// change gives them).
    func matches(_ entry: RouteEntry) -> Bool {
        entry.destination == destination
            && (gateway == nil || entry.gateway == gateway)
            && (device == nil || entry.device == device)
    }
}
