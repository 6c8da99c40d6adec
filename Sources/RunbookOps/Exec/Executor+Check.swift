import Foundation
import RunbookCore

extension Executor {
    /// `exec --check`, as `ansible-playbook --check --diff` does it: every step is compared with
    /// the target as it is now, and nothing is written or run. Each step is judged on its own,
    /// so a step that depends on an earlier one that would change says what it sees today.
    /// Commands do not run (their effect cannot be known without running them), except that a
    /// documented route table, address list or IPVS table is compared with the kernel's.
    /// Targets are read at once (`--forks`), each target's steps in order; `progress` is called
    /// under a lock as each step's check ends.
    public func check(progress: (StepOutcome) -> Void = { _ in }) -> [StepOutcome] {
        // Each target's items in plan order, grouped once.
        var byTarget: [[ExecPlan.Item]] = []
        var position: [Target?: Int] = [:]
        for item in plan.items {
            if let index = position[item.target] {
                byTarget[index].append(item)
            } else {
                position[item.target] = byTarget.count
                byTarget.append([item])
            }
        }
        let lock = NSLock()
        nonisolated(unsafe) var outcomes: [StepOutcome] = []
        FanOut.run(byTarget.count, width: plan.options.forks) { index in
            for item in byTarget[index] {
                let outcome = self.outcome(of: item) { target, outcome in
                    switch item.step.action {
                    case .sysctl(let setting): try checkSysctl(setting, on: target, into: &outcome)
                    case .route(let change): try checkRoute(change, on: target, into: &outcome)
                    case .address(let change): try checkAddress(change, on: target, into: &outcome)
                    case .ipvs(let rule): try checkIPVS(rule, on: target, into: &outcome)
                    case .command(let command): try checkCommand(command, on: target, into: &outcome)
                    }
                }
                lock.withLock {
                    progress(outcome)
                    outcomes.append(outcome)
                }
            }
        }
        sessions.endAll()
        return outcomes
    }

    private func checkSysctl(_ setting: SysctlSetting, on target: Target, into outcome: inout StepOutcome) throws {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        var changes: [String] = []
        guard let current = try state.readSysctls([setting.key])[setting.key] else {
            outcome.verdict = .failed
            outcome.message = target.missingKeyReason(setting.key)
            return
        }
        if !SysctlConfigFile.sameValue(current, setting.value) {
            changes.append("\(setting.key): \(current) -> \(setting.value)")
        }
        if let file = setting.persist {
            guard let path = persistPath(file, on: target, into: &outcome) else { return }
            let existing = try state.readFile(path)
            if let text = SysctlConfigFile.setting(setting.key, to: setting.value, in: existing ?? "") {
                changes.append("\(path) would be \(existing == nil ? "created" : "updated")")
                outcome.diff = UnifiedDiff.lines(
                    expected: (existing ?? "").split(separator: "\n", omittingEmptySubsequences: false).dropLast(),
                    actual: text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(),
                    labels: (existing == nil ? "/dev/null" : "\(path) (now)", "\(path) (after exec)"))
            }
        }
        outcome.verdict = changes.isEmpty ? .unchanged : .wouldChange
        outcome.message = changes.isEmpty ? "\(setting.key) = \(current)" : changes.joined(separator: "; ")
    }

    private func checkRoute(_ change: RouteChange, on target: Target, into outcome: inout StepOutcome) throws {
        let table = try sessions.state(for: target, timeout: plan.options.timeout).routes()
        if change.isDone(in: table) {
            outcome.verdict = .unchanged
            outcome.message =
                change.action == .del
                ? "no route \(change.destination) to delete" : "route \(change.destination) present"
        } else {
            outcome.verdict = .wouldChange
            outcome.message = change.iprouteCommand
        }
    }

    private func checkAddress(_ change: AddressChange, on target: Target, into outcome: inout StepOutcome) throws {
        let present = try sessions.state(for: target, timeout: plan.options.timeout).addresses().contains {
            change.matches($0)
        }
        let what = "\(change.address ?? change.label ?? "") on \(change.device)"
        if (change.action == .add) == present {
            outcome.verdict = .unchanged
            outcome.message = change.action == .add ? "\(what) present" : "no \(what) to delete"
        } else {
            outcome.verdict = .wouldChange
            outcome.message = change.iprouteCommand
        }
    }

    /// A rule is unchanged when the table already holds its service, or its server, with the
    /// scheduler or weight and forwarding it sets; `ipvsadm -C` changes any table that is not
    /// empty.
    private func checkIPVS(_ rule: IPVSRule, on target: Target, into outcome: inout StepOutcome) throws {
        guard let table = try sessions.state(for: target, timeout: plan.options.timeout).ipvsTable() else {
            outcome.verdict = .skipped
            outcome.message = "\(rule.ipvsadmCommand): not checked, \(target) has no IPVS (no /proc/net/ip_vs)"
            return
        }
        let service = table.first { $0.serviceProtocol == rule.serviceProtocol && $0.service == rule.service }
        let server = service?.servers.first { $0.address == rule.server }
        let done: Bool
        switch rule.action {
        case .clear: done = table.isEmpty
        case .addService, .editService:
            done = service != nil && (rule.scheduler == nil || service?.scheduler == rule.scheduler)
        case .deleteService: done = service == nil
        case .addServer, .editServer:
            done =
                server != nil && (rule.weight == nil || server?.weight == rule.weight)
                && (rule.forwarding == nil || server?.forwarding == rule.forwarding)
        case .deleteServer: done = server == nil
        }
        outcome.verdict = done ? .unchanged : .wouldChange
        outcome.message = rule.ipvsadmCommand
    }

    private func checkCommand(_ command: Command, on target: Target, into outcome: inout StepOutcome) throws {
        guard let expect = command.expect, expect.isKernelTable || expect.routes != nil else {
            outcome.message = "not run in --check: what a command changes is known only by running it"
            return
        }
        let result: OutputComparison.Result
        if let documented = expect.routes {
            let live = try sessions.state(for: target, timeout: plan.options.timeout).routes()
            result = OutputComparison.compareRoutes(documented, live)
        } else {
            guard let compared = try compareTable(expect, command: command.text, on: target, into: &outcome) else {
                if outcome.verdict == .failed { outcome.verdict = .skipped }
                return
            }
            result = compared
        }
        switch result {
        case .matches:
            outcome.verdict = .ok
            outcome.message = "the kernel's table is as documented"
        case .differs(let diff):
            outcome.verdict = .ok
            outcome.diff = diff
            outcome.message = "the kernel's table differs from the doc now (earlier steps may change it)"
        }
    }
}
