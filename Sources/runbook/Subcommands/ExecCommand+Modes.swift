import ArgumentParser
import RunbookCore
import RunbookExport
import RunbookOps

/// The other ways exec runs besides its own run: Ansible as the engine, `--check`, `--rollback`.
extension ExecCommand {
    /// `--engine ansible`: the Ansible export of the steps, run by ansible-playbook, read back
    /// into a verdict per step and host, journalled and reported as runbook's own run is.
    func runAnsible(_ plan: ExecPlan, report: ExecReport, plain: ExecReport) throws {
        guard let inventory = try target.readInventory(), let inventoryPath = target.inventory else { return }
        let playbook = try Exporter().render(plan.runbook, as: .ansible, host: host)
        if !check {
            try Confirmation.confirm(report.plan(plan), question: "Run these steps with ansible-playbook?", yes: yes)
        }
        var engine = AnsibleEngine(plan: plan, playbook: playbook, inventory: inventory, inventoryPath: inventoryPath)
        engine.limit = target.limit
        engine.check = check
        let journalFile = check ? nil : try Self.openJournal(journal, for: plan.runbook.file)
        let outcomes: [StepOutcome]
        do {
            // Ctrl-C kills ansible-playbook's process group, not only runbook.
            outcomes = try Interruption.handling {
                Result { () throws(AnsibleEngine.Failure) in try engine.run(journal: journalFile) }
            }.get()
        } catch {
            if let signal = Interruption.signal {
                Output.standardError("runbook: interrupted (signal \(signal)); ansible-playbook was killed\n")
                throw ExitCode(128 + signal)
            }
            Output.error(error.description)
            throw ExitCode(1)
        }
        let total = plan.runbook.steps.count
        var text = outcomes.map { report.line($0, total: total, warnings: false) }.joined()
        text += report.summary(outcomes, planned: plan.items.count)
        if let journalFile { text += "journal: \(journalFile.path)\n" }
        reports.show(text)
        try writeReports(
            outcomes,
            text: outcomes.map { plain.line($0, total: total, warnings: false) }.joined()
                + plain.summary(outcomes, planned: plan.items.count),
            file: plan.runbook.file)
        if outcomes.contains(where: \.stopsRun) { throw ExitCode(1) }
    }

    /// `--check`: read-only, so no confirmation and no journal; exits 1 only when a step could
    /// not be checked (a target out of reach, a key the kernel lacks).
    func checkOnly(_ plan: ExecPlan, report: ExecReport, plain: ExecReport) throws {
        let total = plan.runbook.steps.count
        var transcript = ""
        let executor = Executor(plan: plan, journal: nil)
        let outcomes = Interruption.handling {
            executor.check { outcome in
                transcript += plain.line(outcome, total: total)
                reports.show(report.line(outcome, total: total))
            }
        }
        let summary = report.summary(outcomes, planned: plan.items.count)
        reports.show(summary)
        try writeReports(
            outcomes, text: transcript + plain.summary(outcomes, planned: plan.items.count), file: plan.runbook.file)
        if outcomes.contains(where: { $0.verdict == .failed }) { throw ExitCode(1) }
    }

    /// The `--report` files of a run: `text` is its text report (the step lines and the
    /// summary, without colour), the other formats are made from the outcomes.
    func writeReports(_ outcomes: [StepOutcome], text: @autoclosure () -> String, file: String) throws {
        let plain = ExecReport(color: false)
        try reports.write(text: nil) { format in
            switch format {
            case .text: text()
            case .json: plain.json(outcomes, file: file)
            case .junit: plain.junit(outcomes, file: file)
            }
        }
    }

    /// The journal of a run: `path`, or a new one under .runbook/journal; one that cannot be
    /// opened stops the run before anything changes (exit 2).
    static func openJournal(_ path: String?, for file: String) throws -> Journal {
        do {
            return try Journal(path: path ?? Journal.defaultPath(for: file, at: Timestamp.now()))
        } catch {
            Output.error(error.description)
            throw ExitCodeError.parse
        }
    }

    func undo(_ journal: String) throws {
        let rollback = try Rollback(journal: journal, timeout: how.timeout, sshConfig: target.sshConfig)
        let plan = "\(journal): \(rollback.undos.count) change(s) to undo, last first\n" + rollback.describe()
        if dryRun {
            Output.standardOutput(plan)
            return
        }
        try Confirmation.confirm(plan, question: "Undo these changes?", yes: yes)
        let actions = rollback.run { action in
            Output.standardOutput(
                "step \(action.step) on \(action.target): \(action.verdict.rawValue)  \(action.message)\n")
        }
        if actions.contains(where: { $0.verdict == .failed }) { throw ExitCode(1) }
    }
}
