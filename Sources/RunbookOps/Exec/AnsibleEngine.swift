import Foundation
import RunbookCore

/// `exec --engine ansible`: for fleets that already trust Ansible. The runbook's playbook (the
/// Ansible export) runs under `ansible-playbook` with the inventory, the forks and `--check
/// --diff` when asked; Ansible's JSON callback is read back into runbook's own terms: a verdict
/// per step and host, journalled with its `file:line`, reported as `exec` reports.
public struct AnsibleEngine {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public var plan: ExecPlan
    /// The playbook to run (the Ansible export of the plan's runbook).
    public var playbook: String
    public var inventory: Inventory
    public var inventoryPath: String
    public var limit: String?
    public var check = false
    public var program = "ansible-playbook"

    public init(plan: ExecPlan, playbook: String, inventory: Inventory, inventoryPath: String) {
        self.plan = plan
        self.playbook = playbook
        self.inventory = inventory
        self.inventoryPath = inventoryPath
    }

    /// Runs the playbook and returns an outcome per step and host, in step order.
    public func run(journal: Journal?) throws(Failure) -> [StepOutcome] {
        let directory: String
        do {
            directory = try ChildProcess.privateDirectory(prefix: "runbook-ansible-")
            try FileIO.replace("\(directory)/playbook.yml", with: playbook)
        } catch {
            throw Failure(description: "cannot write the playbook: \(error)")
        }
        let started = Timestamp.now()
        let result: (output: [UInt8], errors: [UInt8], status: Int32)
        do {
            result = try ChildProcess(arguments(playbook: "\(directory)/playbook.yml"))
                .finish(timeout: plan.options.timeout * Double(max(1, plan.runbook.steps.count)))
        } catch {
            throw Failure(description: "\(error) (is Ansible installed? pip install ansible)")
        }
        guard let report = try? JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any] else {
            let errors = String(decoding: result.errors, as: UTF8.self).trimmingSpacesString
            throw Failure(
                description:
                    "\(program) exited \(result.status) without a JSON report\(errors.isEmpty ? "" : ": \(errors)")")
        }
        var outcomes = try outcomes(of: report, started: started)
        // Under --check the playbook's tasks only predict their changes.
        if check {
            for index in outcomes.indices where outcomes[index].verdict == .changed {
                outcomes[index].verdict = .wouldChange
            }
        }
        outcomes.sort { ($0.step.index, $0.target?.description ?? "") < ($1.step.index, $1.target?.description ?? "") }
        for outcome in outcomes {
            do {
                try journal?.record(outcome)
            } catch {
                throw Failure(description: "\(error)")
            }
        }
        return outcomes
    }

    /// `env ANSIBLE_STDOUT_CALLBACK=ansible.posix.json ansible-playbook -i INVENTORY ...`
    func arguments(playbook: String) -> [String] {
        var arguments = [
            "env", "ANSIBLE_STDOUT_CALLBACK=ansible.posix.json", "ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0",
            program, "-i", inventoryPath, "--forks", String(plan.options.forks),
        ]
        let limits = [limit, plan.options.host].compactMap { $0 }
        if !limits.isEmpty { arguments += ["--limit", limits.joined(separator: ":&")] }
        if let sshConfig = plan.options.sshConfig { arguments += ["--ssh-common-args", "-F \(sshConfig)"] }
        if check { arguments += ["--check", "--diff"] }
        return arguments + [playbook]
    }

    /// Each task names its step's `file:line`; a step's own task gives its verdict, and the
    /// tasks that check its documented end state make a difference drift.
    func outcomes(of report: [String: Any], started: Double) throws(Failure) -> [StepOutcome] {
        var outcomes: [String: StepOutcome] = [:]
        var order: [String] = []
        let file = plan.runbook.file
        for play in report["plays"] as? [[String: Any]] ?? [] {
            for task in play["tasks"] as? [[String: Any]] ?? [] {
                guard let name = (task["task"] as? [String: Any])?["name"] as? String,
                    let line = Self.line(in: name, file: file),
                    let step = plan.items.first(where: {
                        $0.step.line == line && name.hasPrefix(PlanRenderer.summary($0.step))
                    })?.step
                        ?? plan.items.first(where: { $0.step.line == line })?.step
                else { continue }
                let ownTask = name.hasPrefix(PlanRenderer.summary(step))
                for (host, value) in task["hosts"] as? [String: Any] ?? [:] {
                    guard let result = value as? [String: Any] else { continue }
                    let target: Target
                    do {
                        target = try TargetMap.target(of: host, in: inventory)
                    } catch {
                        throw Failure(description: error.description)
                    }
                    let key = "\(step.index) \(host)"
                    if outcomes[key] == nil {
                        order.append(key)
                        outcomes[key] = StepOutcome(
                            step: step, target: target, verdict: .ok, message: "", started: started,
                            ended: Timestamp.now())
                    }
                    outcomes[key]!.apply(result, ownTask: ownTask)
                }
            }
        }
        return order.compactMap { outcomes[$0] }
    }

    /// The line of `(FILE:LINE)` at the end of a task name.
    static func line(in name: String, file: String) -> Int? {
        guard name.hasSuffix(")"), let open = name.range(of: "(\(file):", options: .backwards) else { return nil }
        return Int(name[open.upperBound..<name.index(before: name.endIndex)])
    }
}

extension StepOutcome {
    /// Takes one Ansible task result for this step and host: the step's own task gives the
    /// verdict (changed, unchanged, ok for a command, failed, skipped); a check of the end state
    /// that fails is drift.
    mutating func apply(_ result: [String: Any], ownTask: Bool) {
        let message = (result["msg"] as? String) ?? ""
        let stderr = (result["stderr"] as? String) ?? ""
        if result["unreachable"] as? Bool == true {
            verdict = .failed
            self.message = "unreachable: \(message.trimmingSpacesString)"
            return
        }
        if result["failed"] as? Bool == true {
            if !ownTask || step.kind == .command && isEndStateCheck {
                verdict = .drift
                self.message = message.isEmpty ? "differs from the doc" : message
            } else {
                verdict = .failed
                exitStatus = (result["rc"] as? Int).map(Int32.init)
                let detail = stderr.split(separator: "\n").first.map(String.init) ?? message
                self.message = exitStatus.map { "exit status \($0)" + (detail.isEmpty ? "" : ": \(detail)") } ?? message
            }
            self.stderr = stderr
            return
        }
        guard ownTask, verdict != .failed, verdict != .drift else { return }
        stdout = (result["stdout"] as? String) ?? ""
        if result["skipped"] as? Bool == true {
            verdict = .skipped
            self.message = "skipped by Ansible" + (message.isEmpty ? "" : ": \(message)")
        } else if result["changed"] as? Bool == true {
            verdict = step.kind == .command ? .ok : .changed
            self.message = "changed"
        } else {
            verdict = step.kind == .command ? .ok : .unchanged
            self.message = step.kind == .command ? "exit status 0" : "unchanged"
        }
    }

    /// A command whose documented output is a kernel table: the playbook compares it in the
    /// command itself, so its failure is drift.
    private var isEndStateCheck: Bool {
        if case .command(let command) = step.action, let expect = command.expect { return expect.isKernelTable }
        return false
    }
}
