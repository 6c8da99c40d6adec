import RunbookCore

extension Executor {
    // MARK: address

    /// Puts the address on or takes it off only when the device needs it, and journals the
    /// addresses it changed. Over SSH, taking off the address the session arrived on is refused
    /// unless `--allow-disconnect` says the cut is meant.
    func applyAddress(_ change: AddressChange, on target: Target, into outcome: inout StepOutcome) throws {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        let matching = try state.addresses().filter { change.matches($0) }
        let what = "\(change.address ?? change.label ?? "") on \(change.device)"
        if (change.action == .add) == !matching.isEmpty {
            outcome.verdict = .unchanged
            outcome.message = change.action == .add ? "\(what) present" : "no \(what) to delete"
            return
        }
        if target.mayLoseItsConnection, change.action == .del, let used = try state.connectionAddress(),
            matching.contains(where: { $0.address.hasPrefix(used + "/") })
        {
            let cut = "\(change.iprouteCommand) removes \(used), the address \(target)'s SSH connection arrives on"
            guard plan.options.allowDisconnect else {
                outcome.verdict = .failed
                outcome.message = "\(cut). Refused: use --allow-disconnect to apply it anyway"
                return
            }
            outcome.warnings.append("\(cut); applying anyway (--allow-disconnect)")
        }
        // `ifconfig eth0:0 down` names no address: the one the label holds is deleted.
        let commands =
            change.address == nil
            ? matching.map { AddressChange($0, action: .del).iprouteCommand } : [change.iprouteCommand]
        for command in commands {
            let result = try sessions.run(command, on: target, timeout: plan.options.timeout)
            outcome.stdout += result.stdout
            outcome.stderr += result.stderr
            outcome.exitStatus = result.status
            guard result.status == 0 else {
                outcome.verdict = .failed
                outcome.message = "\(command) exited \(result.status): \(result.stderr.trimmingSpacesString)"
                return
            }
        }
        let after = try state.addresses().filter { change.matches($0) }
        let removed = matching.filter { !after.contains($0) }, added = after.filter { !matching.contains($0) }
        if !removed.isEmpty || !added.isEmpty { outcome.undo = .address(restore: removed, remove: added) }
        guard (change.action == .del) == after.isEmpty else {
            outcome.verdict = .failed
            outcome.message = "\(commands.joined(separator: "; ")) succeeded but \(target) does not show it"
            return
        }
        outcome.verdict = .changed
        outcome.message = commands.joined(separator: "; ")
    }

    // MARK: ipvs

    /// Sets an IPVS rule through the same guarded function the exports use. A target without
    /// IPVS fails the step: the service the runbook defines would not exist there.
    func applyIPVS(_ rule: IPVSRule, on target: Target, into outcome: inout StepOutcome) throws {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        guard try state.ipvsTable() != nil else {
            noIPVS(rule.ipvsadmCommand, on: target, into: &outcome)
            return
        }
        let result = try sessions.run(
            GuardedChanges.script(GuardedChanges.ipvsFunction, GuardedChanges.call(rule)), on: target,
            timeout: plan.options.timeout)
        outcome.stdout = result.stdout
        outcome.stderr = result.stderr
        outcome.exitStatus = result.status
        guard result.status == 0 else {
            outcome.verdict = .failed
            outcome.message = "\(rule.ipvsadmCommand) exited \(result.status): \(result.stderr.trimmingSpacesString)"
            return
        }
        outcome.verdict = result.stdout.contains("changed") ? .changed : .unchanged
        outcome.message = rule.ipvsadmCommand
        if outcome.verdict == .changed {
            outcome.warnings.append("IPVS rules are not journalled for --rollback; undo this one by hand if needed")
        }
    }

    /// A documented IPVS table or address list, compared with what the kernel reports
    /// (/proc/net/ip_vs, getifaddrs) without running the command. Nil when there is nothing to
    /// compare with (no IPVS): the outcome then says why.
    func compareTable(
        _ expect: Expectation, command: String, on target: Target, into outcome: inout StepOutcome
    )
        throws -> OutputComparison.Result?
    {
        let state = try sessions.state(for: target, timeout: plan.options.timeout)
        if let documented = expect.addresses {
            return AddressComparison.compare(documented, try state.addresses())
        }
        guard let documented = expect.ipvs, let live = try state.ipvsTable() else {
            noIPVS(command, on: target, into: &outcome)
            return nil
        }
        return IPVSComparison.compare(documented, live)
    }

    /// Where the kernel has no IPVS, an IPVS step fails, unless something stands in for it.
    private func noIPVS(_ command: String, on target: Target, into outcome: inout StepOutcome) {
        if let standIn = plan.options.ipvsStandIn {
            outcome.verdict = .skipped
            outcome.message = "\(command): \(standIn) stands in for it (this kernel has no IPVS)"
            return
        }
        outcome.verdict = .failed
        outcome.message =
            "\(command): not run, \(target) has no IPVS (no /proc/net/ip_vs: the ip_vs module is not loaded, or the kernel has none)"
    }
}

extension AddressChange {
    /// The change that puts back or takes off exactly this address.
    init(_ address: InterfaceAddress, action: Action) {
        self.init(action: action, address: address.address, device: address.device, label: address.label, command: "")
    }

    /// The iproute2 command that makes this change (net-tools is often not installed).
    public var iprouteCommand: String {
        // Without an address (`ifconfig eth0:0 down`) this only describes the change; exec
        // deletes the address the label holds.
        guard let address else { return "ip addr del (the address of \(label ?? device)) dev \(device)" }
        var words = ["ip", "addr", action.rawValue, address, "dev", device]
        if let label { words += ["label", label] }
        return words.map(ShellQuote.word).joined(separator: " ")
    }

    /// Whether an address the kernel reports is the one this change names: by address and
    /// device, or, when no address is given, by label.
    func matches(_ entry: InterfaceAddress) -> Bool {
        guard entry.device == device else { return false }
        if let address { return entry.address == address }
        return entry.label == label
    }
}
