import Foundation
import RunbookCore

/// `runbook audit`: compares live targets with the end state a runbook describes, without
/// changing anything. Only reads: /proc/sys, the routing table, config files, and commands on an
/// allow-list of read-only commands (or marked `{audit}`).
public final class Auditor: @unchecked Sendable {
    public enum Scope: String, Sendable, CaseIterable {
        case runtime, persisted, all
    }

    public struct Options: Sendable {
        public var targets = TargetMap()
        /// Targets from an inventory, under `targets` (see `ExecPlan.Options`).
        public var inventoryTargets = TargetMap()
        public var host: String?
        public var scope = Scope.all
        /// Prefix for the config files read (a test tree, a mounted image).
        public var root = ""
        public var sshConfig: String?
        public var timeout: Double = 60
        /// How many targets are read at once.
        public var forks = 10

        public init() {}
    }

    public let runbook: Runbook
    public let options: Options
    private let plan: ExecPlan
    let sessions: SessionPool

    public init(runbook: Runbook, options: Options) throws(ExecPlan.Problem) {
        self.runbook = runbook
        self.options = options
        var planOptions = ExecPlan.Options()
        planOptions.targets = options.targets
        planOptions.inventoryTargets = options.inventoryTargets
        planOptions.host = options.host
        plan = try ExecPlan(runbook: runbook, options: planOptions)
        sessions = SessionPool(environment: plan.variables, sshConfig: options.sshConfig)
    }

    /// Every finding, grouped by host and target in the runbook's order. A target that cannot
    /// be reached or read gives an `error` finding and the others are still audited.
    public func run() throws(ExecPlan.Problem) -> [AuditFinding] {
        try plan.checkTargets()
        var groups: [(host: String?, target: Target, steps: [Step])] = []
        for item in plan.items {
            guard let target = item.target else { continue }
            if let position = groups.firstIndex(where: { $0.host == item.step.host && $0.target == target }) {
                groups[position].steps.append(item.step)
            } else {
                groups.append((item.step.host, target, [item.step]))
            }
        }
        defer { sessions.endAll() }
        // Each target is read on its own thread; the report keeps the runbook's order.
        let lock = NSLock()
        nonisolated(unsafe) var results = [[AuditFinding]](repeating: [], count: groups.count)
        FanOut.run(groups.count, width: options.forks) { index in
            let group = groups[index]
            let found = audit(
                DesiredState(steps: group.steps), host: group.host, target: group.target, line: group.steps[0].line)
            lock.withLock { results[index] = found }
        }
        return results.flatMap { $0 }
    }

    private func audit(_ desired: DesiredState, host: String?, target: Target, line: Int) -> [AuditFinding] {
        let context = AuditFinding(
            host: host, target: target, kind: .sysctl, subject: "", expected: nil, actual: nil,
            verdict: .ok, detail: nil, file: runbook.file, line: line)
        // A target that cannot be reached is an error finding, never an empty list: "0 ok" about
        // a machine nobody looked at would read as a clean audit.
        let state: any TargetState
        let started = Timestamp.now()
        do {
            // An ssh session's start runs a first command, which fails when there is no connection.
            state = try sessions.state(for: target, timeout: options.timeout)
        } catch {
            return [context.error("cannot reach \(target): \(error)", since: started)]
        }
        var findings: [AuditFinding] = []
        if options.scope != .persisted {
            findings += timed(context) { try runtimeSysctls(desired, state: state, context: context) }
            findings += timed(context) { try routes(desired, state: state, context: context) }
            findings += timed(context) { try addresses(desired, state: state, context: context) }
            findings += timed(context) { try ipvs(desired, state: state, context: context) }
            findings += timed(context) { commands(desired, target: target, context: context) }
        }
        if options.scope != .runtime, !desired.persisted.isEmpty {
            findings += timed(context) { try persisted(desired, state: state, target: target, context: context) }
        }
        return findings
    }

    /// Runs one check and shares its time out among its findings (one read serves them all). A
    /// check that could not read the target (a file that is not a regular one, an ssh
    /// connection lost) gives an error finding instead: what it could not read, it cannot vouch
    /// for.
    private func timed(_ context: AuditFinding, _ body: () throws -> [AuditFinding]) -> [AuditFinding] {
        let started = Timestamp.now()
        do {
            var findings = try body()
            let share = (Timestamp.now() - started) / Double(max(1, findings.count))
            for index in findings.indices { findings[index].time = share }
            return findings
        } catch {
            return [context.error("cannot read \(context.target): \(error)", since: started)]
        }
    }

    private func runtimeSysctls(
        _ desired: DesiredState, state: any TargetState, context: AuditFinding
    ) throws -> [AuditFinding] {
        let combined = desired.sysctls.compactMap { SysctlSemantics.combination(of: $0.key)?.allKey }
        let live = try state.readSysctls(desired.sysctls.map(\.key) + combined)
        return desired.sysctls.map { wanted in
            var finding = context
            finding.subject = wanted.key
            finding.expected = wanted.value
            finding.actual = live[wanted.key]
            finding.line = wanted.line
            guard let actual = live[wanted.key] else {
                finding.verdict = .drift
                finding.detail = context.target.missingKeyReason(wanted.key)
                return finding
            }
            guard SysctlConfigFile.sameValue(actual, wanted.value) else {
                finding.verdict = .drift
                return finding
            }
            if let (allKey, rule) = SysctlSemantics.combination(of: wanted.key), let all = live[allKey],
                let effective = SysctlSemantics.effective(rule, interface: wanted.value, all: all),
                Int(wanted.value.trimmingSpacesString) != effective
            {
                finding.verdict = .ineffective
                finding.detail =
                    "\(allKey) is \(all) and the kernel uses \(rule.description) of it and \(wanted.key), so the effective value is \(effective)"
            }
            return finding
        }
    }

    private func routes(_ desired: DesiredState, state: any TargetState, context: AuditFinding) throws -> [AuditFinding]
    {
        guard desired.routeTable != nil || !desired.routeChecks.isEmpty else { return [] }
        let live = try state.routes()
        var findings: [AuditFinding] = []
        if let table = desired.routeTable {
            var finding = context
            finding.kind = .routes
            finding.subject = "main routing table"
            finding.line = table.line
            finding.expected = table.entries.map { OutputComparison.RouteKey($0).description }.joined(separator: "\n")
            finding.actual = live.map { OutputComparison.RouteKey($0).description }.joined(separator: "\n")
            finding.record(OutputComparison.compareRoutes(table.entries, live))
            findings.append(finding)
        }
        for check in desired.routeChecks {
            var finding = context
            finding.kind = .routes
            finding.subject = check.change.iprouteCommand
            finding.line = check.line
            finding.recordPresence(
                wanted: check.change.action != .del, present: live.contains { check.change.matches($0) })
            findings.append(finding)
        }
        return findings
    }

    private func commands(_ desired: DesiredState, target: Target, context: AuditFinding) -> [AuditFinding] {
        desired.commands.map { step in
            var finding = context
            finding.kind = .command
            finding.line = step.line
            guard case .command(let command) = step.action, let expect = command.expect else { return finding }
            finding.subject = command.text
            finding.expected = expect.output
            if expect.isKernelTable {
                return tableListing(expect, target: target, finding: finding)
            }
            guard ReadOnlyCommands.contains(command.text) else {
                finding.verdict = .notAudited
                finding.detail =
                    "audit re-runs only plain reads (ip ... show, route -n, sysctl KEY, cat /proc/sys/..., ipvsadm -Ln); this command is not one"
                return finding
            }
            do {
                let outcome = try sessions.session(for: target, timeout: options.timeout).run(
                    command.text, cwd: step.cwd, timeout: options.timeout)
                finding.actual = outcome.stdout
                if outcome.status != 0 {
                    finding.verdict = .drift
                    finding.detail = "exit status \(outcome.status): \(outcome.stderr.trimmingSpacesString)"
                } else {
                    finding.record(OutputComparison.compare(expect, actual: outcome.stdout, command: command.text))
                }
            } catch {
                finding.verdict = .drift
                finding.detail = "\(error)"
            }
            return finding
        }
    }

    private func persisted(
        _ desired: DesiredState, state: any TargetState, target: Target, context: AuditFinding
    ) throws -> [AuditFinding] {
        let config = try PersistedConfig.read(on: state, target: target, root: options.root)
        let root = options.root == "/" ? "" : options.root
        return desired.persisted.map { wanted in
            var finding = context
            finding.kind = .persisted
            finding.subject = wanted.key
            finding.expected = wanted.value
            finding.line = wanted.line
            let file = root + (target.persistPath(wanted.file) ?? wanted.file)
            let assignments = config.assignments.filter { $0.key == wanted.key }
            guard let last = assignments.last else {
                finding.verdict = .drift
                finding.detail = "not set in any file sysctl --system reads (the runbook puts it in \(file))"
                return finding
            }
            finding.actual = last.value
            if SysctlConfigFile.sameValue(last.value, wanted.value) { return finding }
            if let ours = assignments.last(where: {
                $0.file == file && SysctlConfigFile.sameValue($0.value, wanted.value)
            }) {
                finding.verdict = .overridden
                finding.detail = "\(last.file):\(last.line) sets \(last.value), read after \(ours.file):\(ours.line)"
            } else {
                finding.verdict = .drift
                finding.detail = "\(last.file):\(last.line) sets \(last.value)"
            }
            return finding
        }
    }
}
