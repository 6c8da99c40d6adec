import RunbookCore

extension Executor {
    func runCommand(_ command: Command, step: Step, on target: Target, into outcome: inout StepOutcome) throws {
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
    func runShell(_ command: Command, step: Step, on target: Target, into outcome: inout StepOutcome) throws {
        let shell = try sessions.session(for: target, timeout: plan.options.timeout)
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
            firstReport(ofMissing: "\(target) \(cwd)")
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
