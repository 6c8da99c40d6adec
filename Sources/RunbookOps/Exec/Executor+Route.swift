import RunbookCore

extension Executor {
    func applyRoute(_ change: RouteChange, on target: Target, into outcome: inout StepOutcome) throws {
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
    func startRevertTimer(
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
